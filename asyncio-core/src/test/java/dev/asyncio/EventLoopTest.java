package dev.asyncio;

import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ports of CPython's test_events / test_base_events: ordering, timers, run/stop/close, threads, misuse. */
class EventLoopTest {
    private final EventLoop loop = new EventLoop(new VirtualClock());
    private final List<ExceptionContext> reported = new CopyOnWriteArrayList<>();

    EventLoopTest() {
        loop.setExceptionHandler((l, ctx) -> reported.add(ctx));
    }

    @AfterEach
    void close() {
        loop.close();
    }

    @Test
    void callSoonRunsInFifoOrderAndWhatCallbacksScheduleRunsInTheNextIteration() {
        List<String> order = new ArrayList<>();
        loop.callSoon(() -> {
            order.add("a");
            loop.callSoon(() -> order.add("a-child"));
        });
        loop.callSoon(() -> {
            order.add("b");
            loop.callSoon(() -> {
                order.add("b-child");
                loop.stop();
            });
        });
        loop.runForever();
        assertEquals(List.of("a", "b", "a-child", "b-child"), order);
    }

    @Test
    void stopFinishesTheCurrentIteration() {
        List<String> order = new ArrayList<>();
        loop.callSoon(() -> {
            order.add("1");
            loop.stop();
        });
        loop.callSoon(() -> order.add("2"));
        loop.callSoon(() -> loop.callSoon(() -> order.add("next run")));
        loop.runForever();
        assertEquals(List.of("1", "2"), order);
        loop.runUntilComplete(() -> null);
        assertEquals(List.of("1", "2", "next run"), order);
    }

    @Test
    void stopBeforeRunForeverRunsOneIteration() {
        List<String> order = new ArrayList<>();
        loop.callSoon(() -> order.add("ready"));
        loop.stop();
        loop.runForever();
        assertEquals(List.of("ready"), order);
    }

    @Test
    void timersFireByDeadlineThenInSchedulingOrder() {
        List<String> order = new ArrayList<>();
        loop.callLater(Duration.ofSeconds(2), () -> order.add("2s"));
        loop.callLater(1.0, () -> order.add("1s-a"));
        loop.callLater(Duration.ofSeconds(1), () -> order.add("1s-b"));
        loop.callAt(loop.time() + 0.5, () -> order.add("0.5s"));
        loop.callLater(Duration.ofSeconds(3), loop::stop);
        loop.runForever();
        assertEquals(List.of("0.5s", "1s-a", "1s-b", "2s"), order);
        assertEquals(3.0, loop.time(), 1e-9);
    }

    @Test
    void aNegativeDelayRunsAsSoonAsPossibleAndNaNIsRefused() {
        List<String> order = new ArrayList<>();
        loop.callLater(-1.0, () -> order.add("negative"));
        loop.callSoon(() -> order.add("soon"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.callLater(Double.NaN, () -> { }));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loop.callAt(Double.NaN, () -> { }));
        loop.runUntilComplete(() -> {
            sleep(Duration.ofMillis(1));
            return null;
        });
        assertEquals(List.of("soon", "negative"), order, "a due timer runs in the iteration after callSoon's");
    }

    @Test
    void cancelledHandlesDoNotRun() {
        List<String> order = new ArrayList<>();
        Handle h = loop.callSoon(() -> order.add("cancelled soon"));
        TimerHandle t = loop.callLater(Duration.ofSeconds(1), () -> order.add("cancelled timer"));
        loop.callLater(Duration.ofSeconds(2), () -> order.add("kept"));
        h.cancel();
        t.cancel();
        assertTrue(h.isCancelled());
        assertEquals(1.0, t.when(), 1e-9);
        loop.runUntilComplete(() -> {
            sleep(Duration.ofSeconds(3));
            return null;
        });
        assertEquals(List.of("kept"), order);
    }

    @Test
    void cancelledTimersAreCompactedOutOfTheHeapWhenTheyAreTheMajority() {
        List<TimerHandle> handles = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            handles.add(loop.callLater(Duration.ofHours(1 + i), () -> { }));
        }
        for (int i = 0; i < 900; i++) {
            handles.get(i).cancel();
        }
        assertEquals(1000, loop.engine.timers.size());
        loop.runUntilComplete(() -> null);
        assertEquals(100, loop.engine.timers.size(), "compacted in the next iteration");
        for (int i = 900; i < 960; i++) {
            handles.get(i).cancel();
        }
        loop.runUntilComplete(() -> null);
        assertEquals(40, loop.engine.timers.size(), "below 100 entries only cancelled heads are dropped; here all were");
    }

    @Test
    void runUntilCompleteNestedIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> loop.runUntilComplete(() -> loop.runUntilComplete(() -> 1)));
        assertTrue(e.getMessage().contains("already running"), e.getMessage());
    }

    @Test
    void runningAnotherLoopFromInsideALoopIsRefused() {
        try (EventLoop other = new EventLoop()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> loop.runUntilComplete(() -> other.runUntilComplete(() -> 1)));
            assertTrue(e.getMessage().contains("another loop is running"), e.getMessage());
        }
    }

    @Test
    void closedLoopRefusesWork() {
        loop.close();
        assertTrue(loop.isClosed());
        assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(() -> 1));
        assertThrows(IllegalStateException.class, () -> loop.callSoon(() -> { }));
        assertThrows(IllegalStateException.class, () -> loop.callSoonThreadsafe(() -> { }));
        assertThrows(IllegalStateException.class, () -> loop.createTask(() -> 1));
        loop.close(); // idempotent
    }

    @Test
    void closeWhileRunningIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(() -> {
            loop.close();
            return null;
        }));
        assertTrue(e.getMessage().contains("Cannot close a running event loop"), e.getMessage());
        assertFalse(loop.isClosed());
    }

    @Test
    void runUntilCompleteSaysWhenStoppedEarly() {
        Future<String> never = loop.createFuture();
        loop.callSoon(loop::stop);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(never));
        assertTrue(e.getMessage().contains("stopped before Future completed"), e.getMessage());
        never.cancel();
    }

    @Test
    void isRunningOnlyWhileRunning() {
        assertFalse(loop.isRunning());
        assertTrue(loop.runUntilComplete(() -> loop.isRunning()));
        assertFalse(loop.isRunning());
    }

    @Test
    void loopMethodsFromAForeignThreadWhileRunningAreRefused() throws Exception {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        try (EventLoop real = new EventLoop()) {
            real.runUntilComplete(() -> {
                Future<Void> finished = real.createFuture();
                Thread.ofPlatform().start(() -> {
                    for (Runnable call : List.<Runnable>of(
                            () -> real.callSoon(() -> { }),
                            () -> real.callLater(Duration.ofSeconds(1), () -> { }),
                            () -> real.createTask(() -> 1),
                            () -> real.createFuture().setResult(null))) {
                        try {
                            call.run();
                        } catch (IllegalStateException e) {
                            errors.add(e);
                        }
                    }
                    real.callSoonThreadsafe(() -> finished.setResult(null));
                });
                return finished.await();
            });
        }
        assertEquals(4, errors.size(), errors.toString());
        for (Throwable e : errors) {
            assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
        }
    }

    @Test
    void callSoonThreadsafeWakesAnIdleLoop() throws Exception {
        // A manual clock with a far-off timer: the loop waits in the poller with no deadline, exactly as an idle
        // loop on the real clock with nothing scheduled; the clock tells us when it has begun to wait.
        IdleWatchClock clock = new IdleWatchClock(false);
        try (EventLoop real = new EventLoop(clock)) {
            real.callLater(Duration.ofDays(1), () -> { });
            Future<String> f = real.createFuture();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    clock.awaitIdle();
                } catch (Throwable e) {
                    failure.set(e);
                }
                real.callSoonThreadsafe(() -> f.setResult("from another thread"));
            });
            assertEquals("from another thread", real.runUntilComplete(f));
            t.join();
            assertNull(failure.get(), () -> "the loop never went idle: " + failure.get());
            assertEquals(0.0, real.time(), "woken by the call, not by the clock");
        }
    }

    @Test
    void stopFromAnotherThread() throws Exception {
        try (EventLoop real = new EventLoop()) {
            CountDownLatch running = new CountDownLatch(1);
            real.callSoon(running::countDown);
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    running.await();
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
                real.stop();
            });
            real.runForever();
            t.join();
            assertFalse(real.isRunning());
        }
    }

    @Test
    void runCoroutineThreadsafeCompletesAndCancels() throws Exception {
        try (EventLoop real = new EventLoop()) {
            Thread host = Thread.ofPlatform().start(real::runForever);
            CompletableFuture<Integer> value = real.runCoroutineThreadsafe(() -> {
                sleep(Duration.ofMillis(1));
                return 7;
            });
            assertEquals(7, value.get(10, TimeUnit.SECONDS));
            CompletableFuture<String> finallyRan = new CompletableFuture<>();
            CountDownLatch sleeping = new CountDownLatch(1);
            CompletableFuture<Void> endless = real.runCoroutineThreadsafe(() -> {
                try {
                    // Runs on the loop once this task has suspended in its sleep: cancel a task that is awaiting.
                    Asyncio.getRunningLoop().callSoon(sleeping::countDown);
                    sleep(Duration.ofHours(1));
                } finally {
                    finallyRan.complete("cancelled task unwound");
                }
                return null;
            });
            assertTrue(sleeping.await(10, TimeUnit.SECONDS), "the coroutine never started");
            endless.cancel(true);
            assertEquals("cancelled task unwound", finallyRan.get(10, TimeUnit.SECONDS));
            real.stop();
            host.join();
        }
    }

    @Test
    void runCoroutineThreadsafeOnTheLoopsOwnTurnIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> loop.runUntilComplete(() -> loop.runCoroutineThreadsafe(() -> 1)));
        assertTrue(e.getMessage().contains("createTask"), e.getMessage());
    }

    @Test
    void exceptionInACallbackGoesToTheHandlerWithTheHandle() {
        RuntimeException boom = new RuntimeException("callback failed");
        Handle h = loop.callSoon(() -> {
            throw boom;
        });
        loop.runUntilComplete(() -> null);
        assertEquals(1, reported.size());
        assertSame(boom, reported.get(0).exception());
        assertSame(h, reported.get(0).handle());
        assertTrue(reported.get(0).message().startsWith("Exception in callback"));
    }

    @Test
    void aFailingExceptionHandlerDoesNotStopTheLoop() {
        loop.setExceptionHandler((l, ctx) -> {
            throw new IllegalStateException("handler bug");
        });
        loop.callSoon(() -> {
            throw new RuntimeException("first");
        });
        assertEquals(5, loop.runUntilComplete(() -> 5));
    }

    @Test
    void callbacksRunInTheContextCurrentWhenScheduled() {
        ContextVar<String> var = new ContextVar<>("var", "unset");
        List<String> seen = new ArrayList<>();
        loop.runUntilComplete(() -> {
            var.set("at schedule time");
            loop.callSoon(() -> {
                seen.add(var.get());
                var.set("changed in callback");
            });
            var.set("later");
            sleep(Duration.ZERO);
            seen.add(var.get());
            Context custom = new Context();
            loop.callSoon(() -> seen.add(var.get()), custom);
            sleep(Duration.ZERO);
            return null;
        });
        assertEquals(List.of("at schedule time", "later", "unset"), seen);
    }

    @Test
    void timeFollowsTheClock() {
        VirtualClock clock = (VirtualClock) loop.getClock();
        assertEquals(0.0, loop.time());
        clock.advanceBy(Duration.ofMillis(1500));
        assertEquals(1.5, loop.time(), 1e-9);
        assertEquals(1_500_000_000L, loop.timeNanos());
    }

    @Test
    void debugModeAndSlowCallbackDurationAreSettable() {
        assertFalse(loop.getDebug());
        loop.setDebug(true);
        assertTrue(loop.getDebug());
        assertEquals(Duration.ofMillis(100), loop.getSlowCallbackDuration());
        loop.setSlowCallbackDuration(Duration.ofMillis(5));
        assertEquals(Duration.ofMillis(5), loop.getSlowCallbackDuration());
        assertThrows(IllegalArgumentException.class, () -> loop.setSlowCallbackDuration(Duration.ofMillis(-1)));
        assertEquals("done", loop.runUntilComplete(() -> {
            sleep(Duration.ofSeconds(1));
            return "done";
        }));
    }

    @Test
    void aLoopRunsFromAVirtualThreadToo() throws Exception {
        int[] result = new int[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try (EventLoop inner = new EventLoop(new VirtualClock())) {
                result[0] = inner.runUntilComplete(() -> {
                    sleep(Duration.ofMinutes(1));
                    return 99;
                });
            }
        });
        t.join();
        assertEquals(99, result[0]);
    }
}
