package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * A stuck loop test ends with a failure and a task dump, never a hang (issue 11): a JUnit timeout in its
 * default thread mode interrupts the test's thread, and an interrupted {@link Asyncio#run} cancels its
 * main task and fails with the loop's tasks listed. Run through JUnit's own engine with
 * {@link EngineTestKit}, as surefire would run it, in both carrier modes (the surefire executions).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StuckTestTimeoutTest {
    /** Set only while {@link #aStuckAsyncioRunTestFailsWithATimeoutAndATaskDump} drives the class below. */
    static volatile boolean driven;

    /** Deliberately stuck tests; surefire skips nested classes, and they abort unless driven. */
    static class StuckTests {
        @Test
        @Timeout(value = 200, unit = TimeUnit.MILLISECONDS)
        void awaitsAFutureNobodyCompletes() {
            Assumptions.assumeTrue(driven, "only run through EngineTestKit");
            Asyncio.run(() -> {
                Future<Void> never = Asyncio.getRunningLoop().createFuture();
                Task<Void> helper = Asyncio.createTask(() -> waitForever(never), "stuck-helper");
                return helper.await();
            });
        }

        @Test
        @Timeout(value = 200, unit = TimeUnit.MILLISECONDS)
        void sleepsForAnHour() {
            Assumptions.assumeTrue(driven, "only run through EngineTestKit");
            Asyncio.run(() -> {
                Asyncio.sleep(java.time.Duration.ofHours(1));
                return null;
            });
        }

        private static Void waitForever(Future<Void> never) {
            return never.await();
        }
    }

    @Test
    void aStuckAsyncioRunTestFailsWithATimeoutAndATaskDump() {
        driven = true;
        List<Event> failures;
        try {
            failures = EngineTestKit.engine("junit-jupiter")
                    .selectors(selectClass(StuckTests.class))
                    .execute()
                    .testEvents()
                    .failed()
                    .list();
        } finally {
            driven = false;
        }
        assertEquals(2, failures.size(), "both stuck tests end, and fail");
        for (Event failed : failures) {
            Throwable t = failed.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                    .getThrowable().orElseThrow();
            assertInstanceOf(TimeoutException.class, t, "JUnit reports the timeout");
            assertTrue(t.getMessage().contains("timed out after 200 milliseconds"), t.getMessage());
            assertEquals(1, t.getSuppressed().length, "the test's own failure rides along");
            CancelledError interrupted = assertInstanceOf(CancelledError.class, t.getSuppressed()[0]);
            String dump = interrupted.getMessage();
            assertTrue(dump.startsWith("Asyncio.run() was interrupted"), dump);
            String name = failed.getTestDescriptor().getDisplayName();
            if (name.startsWith("awaitsAFutureNobodyCompletes")) {
                assertTrue(dump.contains("* Task 'stuck-helper' (suspended)"), dump);
                assertTrue(dump.contains("StuckTestTimeoutTest$StuckTests.waitForever"), dump);
            } else {
                assertTrue(dump.contains("awaits: sleep until loop time"), dump);
            }
        }
    }
}
