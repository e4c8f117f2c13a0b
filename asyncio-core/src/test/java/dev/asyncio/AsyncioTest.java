package dev.asyncio;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Ports of CPython's test_runners and the module-level functions of test_events. */
class AsyncioTest {

    @Test
    void runReturnsTheResultAndClosesTheLoop() {
        EventLoop[] seen = new EventLoop[1];
        assertEquals("hi", Asyncio.run(() -> {
            seen[0] = Asyncio.getRunningLoop();
            sleep(Duration.ofMillis(1));
            return "hi";
        }));
        assertTrue(seen[0].isClosed());
    }

    @Test
    void runRethrowsTheSameExceptionEvenWhenChecked() {
        IOException boom = new IOException("io");
        Exception e = assertThrows(Exception.class, () -> Asyncio.run(() -> {
            throw boom;
        }));
        assertSame(boom, e);
    }

    @Test
    void runInsideARunningLoopIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.run(() -> Asyncio.run(() -> 1)));
        assertTrue(e.getMessage().contains("cannot be called from a running event loop"), e.getMessage());
    }

    @Test
    void runCancelsAndAwaitsLeftoverTasks() {
        List<String> seen = new CopyOnWriteArrayList<>();
        Task<?>[] leftover = new Task<?>[1];
        Asyncio.run(() -> {
            leftover[0] = createTask(() -> {
                try {
                    sleep(Duration.ofHours(1));
                } catch (CancelledError e) {
                    seen.add("cancelled at shutdown");
                    sleep(Duration.ofMillis(1)); // may still await while being cancelled
                    seen.add("cleanup awaited");
                    throw e;
                }
            });
            sleep(Duration.ofMillis(1));
        });
        assertEquals(List.of("cancelled at shutdown", "cleanup awaited"), seen);
        assertTrue(leftover[0].isCancelled());
    }

    @Test
    void errorsOfLeftoverTasksDuringShutdownAreReported() {
        List<ExceptionContext> reported = new CopyOnWriteArrayList<>();
        IllegalStateException cleanupFailure = new IllegalStateException("cleanup failed");
        try (Runner runner = new Runner()) {
            runner.getLoop().setExceptionHandler((l, ctx) -> reported.add(ctx));
            runner.run(() -> {
                createTask(() -> {
                    try {
                        sleep(Duration.ofHours(1));
                    } catch (CancelledError e) {
                        throw cleanupFailure;
                    }
                });
                sleep(Duration.ofMillis(1));
            });
        }
        assertEquals(1, reported.size(), reported.toString());
        assertEquals("unhandled exception during asyncio.run() shutdown", reported.get(0).message());
        assertSame(cleanupFailure, reported.get(0).exception());
    }

    @Test
    void runnerRunsSeveralCoroutinesOnOneLoopSharingOneContext() {
        ContextVar<String> var = new ContextVar<>("var", "unset");
        try (Runner runner = new Runner()) {
            EventLoop first = runner.run(() -> {
                var.set("set by the first run");
                return Asyncio.getRunningLoop();
            });
            EventLoop second = runner.run(() -> Asyncio.getRunningLoop());
            assertSame(first, second);
            assertEquals("set by the first run", runner.run(() -> var.get()));
            assertSame(first, Asyncio.getEventLoop(), "the runner's loop is the thread's current loop");
        }
        assertThrows(IllegalStateException.class, Asyncio::getEventLoop);
    }

    @Test
    void runnerOnAVirtualClockRunsAnHourInNoTime() {
        IdleWatchClock clock = new IdleWatchClock(true);
        try (Runner runner = new Runner(() -> new EventLoop(clock), true)) {
            double loopTime = runner.run(() -> {
                sleep(Duration.ofHours(1));
                return Asyncio.getRunningLoop().time();
            });
            assertEquals(3600.0, loopTime, 1e-9);
            assertTrue(runner.getLoop().getDebug());
            assertEquals(0, clock.waits(), "in no time: the loop jumped to the deadline, it never waited for the clock");
        }
    }

    @Test
    void getEventLoopPatternOfTheTutorials() {
        EventLoop loop = Asyncio.newEventLoop();
        Asyncio.setEventLoop(loop);
        try {
            assertSame(loop, Asyncio.getEventLoop());
            List<String> out = new ArrayList<>();
            Asyncio.getEventLoop().runUntilComplete(() -> {
                assertSame(loop, Asyncio.getEventLoop(), "inside a coroutine: the running loop");
                out.add("ran");
            });
            assertEquals(List.of("ran"), out);
        } finally {
            Asyncio.setEventLoop(null);
            loop.close();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, Asyncio::getEventLoop);
        assertTrue(e.getMessage().contains("setEventLoop"), e.getMessage());
    }

    @Test
    void getRunningLoopOutsideALoopSaysSo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Asyncio::getRunningLoop);
        assertTrue(e.getMessage().contains("no running event loop"), e.getMessage());
        assertThrows(IllegalStateException.class, Asyncio::currentTask);
    }

    @Test
    void ensureFutureKeepsAFutureStartsACoroutineAndFollowsAStage() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<String> f = loop.createFuture();
            assertSame(f, Asyncio.ensureFuture(f), "a future is returned as it is");
            Task<String> t = Asyncio.ensureFuture(() -> "from a coroutine");
            assertSame(loop, t.getLoop());
            assertEquals("from a coroutine", t.await());
            assertSame(t, Asyncio.ensureFuture(t));
            java.util.concurrent.CompletableFuture<String> stage = new java.util.concurrent.CompletableFuture<>();
            Future<String> followed = Asyncio.ensureFuture(stage);
            stage.complete("from a stage");
            assertEquals("from a stage", followed.await());
            f.setResult("done");
        });
        assertThrows(IllegalStateException.class, () -> Asyncio.ensureFuture(() -> "no loop"));
    }
}
