package dev.asyncio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopThreadTest {

    @Test
    void theLoopRunsWhenTheConstructorReturnsAndOutlivesAStop() throws Exception {
        LoopThread host = new LoopThread(new EventLoop(), "loop-thread-test");
        EventLoop loop = host.loop();
        try {
            assertTrue(loop.isRunning());
            loop.stop(); // user code may stop one run; the thread runs the loop again
            assertEquals("again", loop.runCoroutineThreadsafe(() -> "again").get(10, TimeUnit.SECONDS));
            assertFalse(host.isRetired());
        } finally {
            host.retire();
        }
    }

    @Test
    void retiringCancelsWhatIsLeftAndClosesTheLoop() throws Exception {
        LoopThread host = new LoopThread(new EventLoop(), "loop-thread-test");
        EventLoop loop = host.loop();
        Task<?> sleeper = loop.runCoroutineThreadsafe(() -> loop.createTask(() -> {
            Asyncio.sleep(Duration.ofDays(1));
        })).get(10, TimeUnit.SECONDS);
        host.retire();
        assertTrue(host.isRetired());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!loop.isClosed() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(loop.isClosed());
        assertTrue(sleeper.isCancelled());
    }

    @Test
    void theDefaultBridgeLoopIsOneRunningLoop() {
        assertSame(DefaultBridgeLoop.get(), DefaultBridgeLoop.get());
        assertTrue(DefaultBridgeLoop.get().isRunning());
    }
}
