package dev.asyncio;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.getRunningLoop;
import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.Asyncio.waitFor;
import static dev.asyncio.VirtualLoops.now;
import static dev.asyncio.VirtualLoops.run;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Ports of CPython's test_waitfor.py (3.12+ semantics), on a virtual clock. */
class WaitForTest {
    private static final Duration EPSILON = Duration.ofNanos(100_000);

    /** Runs for 0.2 s of loop time whatever cancellations it gets (CPython's SlowTask). */
    static final class SlowTask {
        static final Duration TASK_TIMEOUT = ofMillis(200);
        boolean exited;

        void run() {
            double exitAt = now() + TASK_TIMEOUT.toNanos() / 1e9;
            while (true) {
                double toSleep = exitAt - now();
                if (toSleep <= 0) {
                    break;
                }
                try {
                    sleep(toSleep);
                } catch (CancelledError ignored) {
                    // keeps going, on purpose
                }
            }
            exited = true;
        }
    }

    @Test
    void waitForCancelledWaitsForSlowInner() {
        run(() -> {
            SlowTask t = new SlowTask();
            Task<Void> waitForTask = createTask(() -> waitFor(t::run, SlowTask.TASK_TIMEOUT.multipliedBy(2)));
            sleep(Duration.ZERO);
            waitForTask.cancel();
            Asyncio.wait(List.of(waitForTask));
            assertTrue(t.exited);
        });
    }

    @Test
    void waitForTimeoutWaitsForSlowInner() {
        run(() -> {
            SlowTask t = new SlowTask();
            // The inner coroutine swallows the cancellation and returns normally: so does waitFor.
            waitFor(t::run, SlowTask.TASK_TIMEOUT.dividedBy(2));
            assertTrue(t.exited);
        });
    }

    @Test
    void timeoutZeroFutureDone() {
        run(() -> {
            Future<String> fut = getRunningLoop().createFuture();
            fut.setResult("done");
            double t0 = now();
            assertEquals("done", waitFor(fut, Duration.ZERO));
            assertEquals(t0, now());
        });
    }

    @Test
    void timeoutZeroCoroutineNotStarted() {
        run(() -> {
            AtomicBoolean started = new AtomicBoolean();
            assertThrows(TimeoutError.class, () -> waitFor(() -> started.set(true), Duration.ZERO));
            assertFalse(started.get());
        });
    }

    @Test
    void timeoutZeroOrNegativeCancelsRunningTask() {
        run(() -> {
            for (Duration timeout : new Duration[] {Duration.ZERO, ofSeconds(-1)}) {
                AtomicBoolean running = new AtomicBoolean();
                Future<Void> started = getRunningLoop().createFuture();
                Task<String> fut = createTask(() -> {
                    running.set(true);
                    started.setResult(null);
                    try {
                        sleep(ofSeconds(10));
                    } finally {
                        running.set(false);
                    }
                    return "done";
                });
                started.await();
                double t0 = now();
                TimeoutError e = assertThrows(TimeoutError.class, () -> waitFor(fut, timeout));
                assertInstanceOf(CancelledError.class, e.getCause());
                assertTrue(fut.isCancelled());
                assertFalse(running.get());
                assertEquals(t0, now());
            }
        });
    }

    @Test
    void waitForTaskTimesOut() {
        run(() -> {
            AtomicBoolean running = new AtomicBoolean();
            Task<String> fut = createTask(() -> {
                running.set(true);
                try {
                    sleep(ofSeconds(10));
                } finally {
                    running.set(false);
                }
                return "done";
            });
            double t0 = now();
            assertThrows(TimeoutError.class, () -> waitFor(fut, ofMillis(100)));
            assertEquals(t0 + 0.1, now(), 1e-9);
            assertTrue(fut.isCancelled());
            assertFalse(running.get());
            assertEquals(0, Asyncio.currentTask().cancelling());
        });
    }

    @Test
    void waitForBlocking() {
        assertEquals("done", run(() -> waitFor(() -> "done", null)));
    }

    @Test
    void waitForRaceCondition() {
        run(() -> {
            Future<String> fut = getRunningLoop().createFuture();
            getRunningLoop().callLater(ofMillis(100), () -> fut.setResult("ok"));
            assertEquals("ok", waitFor(fut, ofMillis(200)));
        });
    }

    @Test
    void waitForCancellationRaceCondition() {
        run(() -> {
            int result = waitFor(() -> {
                assertThrows(CancelledError.class, () -> sleep(ofSeconds(1)));
                return 1;
            }, ofMillis(10));
            assertEquals(1, result);
        });
    }

    @Test
    void waitForWaitsForTaskCancellation() {
        run(() -> {
            AtomicBoolean taskDone = new AtomicBoolean();
            Task<Void> inner = createTask(() -> {
                try {
                    sleep(ofSeconds(10));
                } catch (CancelledError e) {
                    sleep(EPSILON);
                    throw e;
                } finally {
                    taskDone.set(true);
                }
            });
            TimeoutError e = assertThrows(TimeoutError.class, () -> waitFor(inner, EPSILON));
            assertTrue(taskDone.get());
            assertInstanceOf(CancelledError.class, e.getCause());
        });
    }

    @Test
    void waitForWaitsForTaskCancellationWithTimeoutZero() {
        run(() -> {
            AtomicBoolean taskDone = new AtomicBoolean();
            Task<Void> inner = createTask(() -> {
                try {
                    sleep(ofSeconds(10));
                } catch (CancelledError e) {
                    sleep(EPSILON);
                    throw e;
                } finally {
                    taskDone.set(true);
                }
            });
            sleep(EPSILON);
            TimeoutError e = assertThrows(TimeoutError.class, () -> waitFor(inner, Duration.ZERO));
            assertTrue(taskDone.get());
            assertInstanceOf(CancelledError.class, e.getCause());
        });
    }

    @Test
    void waitForReraisesExceptionDuringCancellation() {
        class FooException extends RuntimeException {
        }
        run(() -> {
            Task<Void> inner = createTask(() -> {
                try {
                    sleep(ofMillis(200));
                } finally {
                    throw new FooException();
                }
            });
            assertThrows(FooException.class, () -> waitFor(inner, EPSILON));
        });
    }

    @Test
    void waitForSelfCancellation() {
        run(() -> {
            Task<Integer> inner = createTask(() -> {
                try {
                    sleep(ofMillis(300));
                } catch (CancelledError e) {
                    try {
                        sleep(ofMillis(300));
                    } catch (CancelledError e2) {
                        sleep(ofMillis(300));
                    }
                }
                return 42;
            });
            // waitFor itself is cancellable even when the inner task holds up the cancellation.
            Task<Integer> task = createTask(() -> waitFor(inner, ofMillis(100)));
            task.cancel();
            assertThrows(CancelledError.class, task::await);
            assertEquals(42, inner.await());
        });
    }

    @Test
    void cancelBlockingWaitFor() {
        cancelWaitFor(null);
    }

    @Test
    void cancelWaitFor() {
        cancelWaitFor(ofSeconds(60));
    }

    private static void cancelWaitFor(Duration timeout) {
        run(() -> {
            Task<Void> task = createTask(() -> {
                Future<Void> never = getRunningLoop().createFuture();
                never.await();
            });
            Task<Void> wait = createTask(() -> waitFor(task, timeout));
            getRunningLoop().callSoon(wait::cancel);
            assertThrows(CancelledError.class, wait::await);
            // Python issue #23219: cancelling the wait must also cancel the task
            assertTrue(task.isCancelled());
        });
    }

    @Test
    void waitForCancelSuppressed() {
        assertEquals(42, run(() -> waitFor(() -> {
            try {
                sleep(ofSeconds(10));
            } catch (CancelledError e) {
                return 42;
            }
            return 0;
        }, ofMillis(100))));
    }

    @Test
    void waitForIssue86296() {
        run(() -> {
            AtomicBoolean reachedEnd = new AtomicBoolean();
            Task<Void> task = createTask(() -> {
                waitFor(() -> { }, ofSeconds(100));
                sleep(ofSeconds(1));
                reachedEnd.set(true);
            });
            sleep(Duration.ZERO);
            assertFalse(task.isDone());
            task.cancel();
            assertThrows(CancelledError.class, task::await);
            assertFalse(reachedEnd.get());
        });
    }

    @Test
    void waitForReturnsSameExceptionObject() {
        run(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            Task<Void> t = createTask(() -> {
                throw boom;
            });
            assertSame(boom, assertThrows(IllegalStateException.class, () -> waitFor(t, ofSeconds(1))));
        });
    }

    @Test
    void waitForOutsideCoroutineIsRefused() {
        try (EventLoop loop = new EventLoop(new VirtualClock())) {
            Future<String> f = loop.createFuture();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> waitFor(f, ofSeconds(1)));
            assertTrue(e.getMessage().contains("coroutine"), e.getMessage());
        }
    }

    /**
     * Timeout against completion at random, nearby instants: whatever wins, the outcome is either the
     * value or a TimeoutError with the inner task really finished (cancelled), never a lost value, a
     * leftover cancellation, or a task still running.
     */
    @Test
    void randomizedTimeoutVersusCompletion() {
        for (long seed : new long[] {1, 2, 3, 42, 4711}) {
            Random random = new Random(seed);
            run(() -> {
                AtomicInteger values = new AtomicInteger();
                AtomicInteger timeouts = new AtomicInteger();
                for (int round = 0; round < 200; round++) {
                    long work = random.nextInt(5);
                    long limit = random.nextInt(5);
                    boolean swallow = random.nextInt(4) == 0;
                    int mode = random.nextInt(3);
                    Task<Integer> inner = createTask(() -> {
                        try {
                            sleep(ofMillis(work));
                        } catch (CancelledError e) {
                            if (swallow) {
                                return -1;
                            }
                            throw e;
                        }
                        return (int) work;
                    });
                    try {
                        Integer v = switch (mode) {
                            case 0 -> waitFor(inner, ofMillis(limit));
                            case 1 -> Asyncio.timeout(ofMillis(limit), () -> inner.await());
                            default -> waitFor(() -> inner.await(), ofMillis(limit));
                        };
                        assertTrue(inner.isDone());
                        assertEquals(inner.result(), v);
                        values.incrementAndGet();
                    } catch (TimeoutError e) {
                        if (mode == 2 && limit == 0) {
                            // asyncio: the coroutine became a task cancelled before it started, so it
                            // never awaited (or cancelled) the inner task; nothing of it may have run.
                            assertFalse(inner.isCancelled(), "seed " + seed + ": " + inner);
                            inner.cancel();
                            Asyncio.wait(List.of(inner));
                        } else {
                            assertTrue(inner.isCancelled(), "seed " + seed + ": timed out but " + inner);
                        }
                        timeouts.incrementAndGet();
                    }
                    assertEquals(0, Asyncio.currentTask().cancelling(), "seed " + seed + " round " + round);
                    sleep(Duration.ZERO); // a stale cancel request would surface here
                }
                assertEquals(200, values.get() + timeouts.get());
                assertTrue(values.get() > 0 && timeouts.get() > 0, "both outcomes exercised");
            });
        }
    }
}
