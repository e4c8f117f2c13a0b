package dev.asyncio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The load process of {@code --load N}: a separate JVM that burns CPU until it is closed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BusyLoadTest {

    @Test
    void runsItsThreadsInAnotherProcessUntilClosed() throws Exception {
        ProcessHandle process;
        try (BusyLoad load = BusyLoad.start(2)) {
            process = load.process();
            assertEquals(2, load.threads());
            assertTrue(process.isAlive());
            assertTrue(process.pid() != ProcessHandle.current().pid(), "the load must not run in the measured JVM");
            Duration before = process.info().totalCpuDuration().orElseThrow();
            // Burning CPU shows as CPU time growing while the test thread waits; a stopped load would not grow it.
            Duration after = before;
            for (int i = 0; i < 200 && after.compareTo(before.plusMillis(50)) < 0; i++) {
                Thread.sleep(20);
                after = process.info().totalCpuDuration().orElseThrow();
            }
            assertTrue(after.compareTo(before.plusMillis(50)) >= 0, "the busy threads used no CPU: " + before + " -> " + after);
        }
        process.onExit().get(10, TimeUnit.SECONDS);
        assertFalse(process.isAlive(), "the load process outlived close()");
    }

    @Test
    void refusesLessThanOneThread() {
        assertThrows(IllegalArgumentException.class, () -> BusyLoad.start(0));
    }
}
