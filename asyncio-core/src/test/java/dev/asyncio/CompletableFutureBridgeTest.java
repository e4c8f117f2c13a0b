package dev.asyncio;

import static dev.asyncio.Asyncio.await;
import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.getRunningLoop;
import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.Asyncio.wrapFuture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Future/Task ⇄ CompletableFuture/CompletionStage/java.util.concurrent.Future, cancellation both ways. */
class CompletableFutureBridgeTest {
    /**
     * A stage that another thread completes once something depends on it (an awaiting coroutine, a derived
     * stage): completed while awaited, whatever the timing, instead of after a guessed delay.
     */
    private static CompletableFuture<String> completeLater(String value) {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            for (int i = 0; i < 300_000 && cf.getNumberOfDependents() == 0; i++) { // the bound is a hang guard only
                LockSupport.parkNanos(100_000);
            }
            cf.complete(value);
        });
        return cf;
    }

    // ---------------------------------------------------------------- our Future -> CompletableFuture

    @Test
    void toCompletableFutureCarriesTheResult() throws Exception {
        AtomicReference<CompletableFuture<Integer>> cf = new AtomicReference<>();
        Asyncio.run(() -> {
            Future<Integer> f = getRunningLoop().createFuture();
            cf.set(f.toCompletableFuture());
            assertFalse(cf.get().isDone());
            f.setResult(5);
            sleep(0);
            assertEquals(5, cf.get().getNow(-1));
        });
        assertEquals(5, cf.get().get());
    }

    @Test
    void toCompletableFutureCarriesTheSameExceptionObject() {
        IOException boom = new IOException("boom");
        CompletableFuture<Object> cf = Asyncio.run(() -> {
            Task<Object> t = createTask(() -> {
                throw boom;
            });
            CompletableFuture<Object> c = t.toCompletableFuture();
            try {
                t.await();
            } catch (Exception expected) {
                // retrieved here too
            }
            sleep(0);
            return c;
        });
        ExecutionException ee = assertThrows(ExecutionException.class, cf::get);
        assertSame(boom, ee.getCause());
        CompletionException ce = assertThrows(CompletionException.class, cf::join);
        assertSame(boom, ce.getCause());
        assertTrue(cf.isCompletedExceptionally());
    }

    @Test
    void anExceptionHandedToTheCompletableFutureIsNotReportedAsLost() {
        List<ExceptionContext> reported = new ArrayList<>();
        CompletableFuture<Object> cf;
        try (EventLoop loop = new EventLoop()) {
            loop.setExceptionHandler((l, c) -> reported.add(c));
            cf = loop.runUntilComplete(() -> {
                Task<Object> t = createTask(() -> {
                    throw new IllegalStateException("handed on");
                });
                CompletableFuture<Object> c = t.toCompletableFuture();
                while (!c.isDone()) {
                    sleep(0);
                }
                return c;
            });
        }
        assertTrue(cf.isCompletedExceptionally());
        assertTrue(reported.isEmpty(), reported::toString);
    }

    @Test
    void cancellingOurFutureCancelsTheCompletableFutureWithTheSameError() {
        CompletableFuture<Object> cf = Asyncio.run(() -> {
            Task<Object> t = createTask(() -> {
                sleep(10);
                return null;
            });
            CompletableFuture<Object> c = t.toCompletableFuture();
            sleep(0);
            t.cancel("shutting down");
            try {
                t.await();
            } catch (CancelledError expected) {
                // fine
            }
            sleep(0);
            return c;
        });
        assertTrue(cf.isCancelled());
        CancellationException e = assertThrows(CancellationException.class, cf::join);
        // Newer JDKs rethrow a cancellation from join() wrapped in a fresh CancellationException.
        Throwable ours = e instanceof CancelledError ? e : e.getCause();
        assertInstanceOf(CancelledError.class, ours);
        assertEquals("shutting down", ours.getMessage());
        // whenComplete sees the very object
        AtomicReference<Throwable> seen = new AtomicReference<>();
        cf.whenComplete((v, x) -> seen.set(x));
        assertSame(ours, seen.get());
    }

    @Test
    void cancellingTheCompletableFutureFromAnotherThreadCancelsTheTask() {
        String outcome = Asyncio.run(() -> {
            Task<String> t = createTask(() -> {
                try {
                    sleep(10);
                    return "slept";
                } catch (CancelledError e) {
                    return "cancelled in the coroutine";
                }
            });
            CompletableFuture<String> cf = t.toCompletableFuture();
            sleep(0);
            Thread other = Thread.ofPlatform().start(() -> cf.cancel(true));
            String r = t.await();
            other.join();
            return r + ", cf cancelled=" + cf.isCancelled();
        });
        assertEquals("cancelled in the coroutine, cf cancelled=true", outcome);
    }

    @Test
    void cancellingTheCompletableFutureOnTheTurnCancelsTheTask() {
        boolean cancelled = Asyncio.run(() -> {
            Task<Object> t = createTask(() -> {
                sleep(10);
                return null;
            });
            sleep(0);
            t.toCompletableFuture().cancel(false);
            try {
                t.await();
                return false;
            } catch (CancelledError e) {
                return t.isCancelled();
            }
        });
        assertTrue(cancelled);
    }

    @Test
    void toCompletableFutureFromAForeignThreadWhileTheLoopRuns() throws Exception {
        AtomicReference<CompletableFuture<String>> fromOutside = new AtomicReference<>();
        Asyncio.run(() -> {
            Future<String> f = getRunningLoop().createFuture();
            Thread t = Thread.ofPlatform().start(() -> fromOutside.set(f.toCompletableFuture()));
            while (t.isAlive()) {
                sleep(0.001);
            }
            sleep(0); // the link is made in the next iteration
            f.setResult("linked");
            sleep(0);
        });
        assertEquals("linked", fromOutside.get().get(5, TimeUnit.SECONDS));
    }

    // ---------------------------------------------------------------- blocking on the turn is refused

    @Test
    void blockingGetOrJoinOnTheTurnIsRefusedWithAnErrorThatNamesAwait() {
        List<String> messages = Asyncio.run(() -> {
            Future<String> f = getRunningLoop().createFuture();
            CompletableFuture<String> cf = f.toCompletableFuture();
            List<String> m = new ArrayList<>();
            m.add(assertThrows(IllegalStateException.class, cf::join).getMessage());
            m.add(assertThrows(IllegalStateException.class, cf::get).getMessage());
            m.add(assertThrows(IllegalStateException.class, () -> cf.get(1, TimeUnit.SECONDS)).getMessage());
            CompletableFuture<Integer> derived = cf.thenApply(String::length);
            m.add(assertThrows(IllegalStateException.class, derived::join).getMessage());
            f.setResult("done");
            sleep(0);
            assertEquals("done", cf.join(), "a done future's join() does not block: allowed");
            assertEquals(4, derived.get());
            return m;
        });
        for (String m : messages) {
            assertTrue(m.contains("Asyncio.await(future)"), m);
            assertTrue(m.contains("would block the event loop"), m);
        }
    }

    @Test
    void theFutureOfRunCoroutineThreadsafeRefusesBlockingOnAnotherLoopsTurn() throws Exception {
        EventLoop serving = new EventLoop();
        CountDownLatch running = new CountDownLatch(1);
        Thread host = Thread.ofPlatform().start(() -> {
            serving.callSoon(running::countDown);
            serving.runForever();
        });
        try {
            assertTrue(running.await(5, TimeUnit.SECONDS));
            String r = Asyncio.run(() -> {
                CompletableFuture<String> cf = serving.runCoroutineThreadsafe(() -> {
                    sleep(0.05);
                    return "served";
                });
                IllegalStateException e = assertThrows(IllegalStateException.class, cf::join);
                assertTrue(e.getMessage().contains("Asyncio.await(future)"), e.getMessage());
                return await(cf);
            });
            assertEquals("served", r);
        } finally {
            serving.stop();
            host.join(5000);
            serving.close();
        }
    }

    // ---------------------------------------------------------------- CompletionStage -> our Future

    @Test
    void awaitingACompletableFutureCompletedByAnotherThread() {
        assertEquals("hello", Asyncio.run(() -> await(completeLater("hello"))));
    }

    @Test
    void awaitingAFailedStageRethrowsTheSameObjectUnwrapped() {
        IOException boom = new IOException("io");
        List<Object> caught = Asyncio.run(() -> {
            List<Object> c = new ArrayList<>();
            CompletableFuture<String> failed = CompletableFuture.failedFuture(boom);
            try {
                await(failed);
            } catch (Exception e) {
                c.add(e);
            }
            // A dependent stage stores the function's exception wrapped in CompletionException.
            CompletableFuture<String> derived = completeLater("x").thenApply(s -> {
                throw new ArithmeticException("in thenApply");
            });
            try {
                await(derived);
            } catch (Exception e) {
                c.add(e);
            }
            return c;
        });
        assertSame(boom, caught.get(0));
        assertInstanceOf(ArithmeticException.class, caught.get(1));
        assertEquals("in thenApply", ((Throwable) caught.get(1)).getMessage());
    }

    @Test
    void awaitingADoneStageDoesNotYield() {
        List<String> order = Asyncio.run(() -> {
            List<String> o = new ArrayList<>();
            createTask(() -> {
                o.add("other");
            });
            o.add(await(CompletableFuture.completedFuture("done at once")));
            sleep(0);
            return o;
        });
        assertEquals(List.of("done at once", "other"), order);
    }

    @Test
    void cancellingTheAwaitingTaskCancelsTheCompletableFuture() {
        CompletableFuture<String> never = new CompletableFuture<>();
        boolean taskCancelled = Asyncio.run(() -> {
            Task<String> t = createTask(() -> await(never));
            sleep(0); // t's first step runs before main resumes: t is awaiting `never` when cancelled
            t.cancel();
            try {
                t.await();
                return false;
            } catch (CancelledError e) {
                return true;
            }
        });
        assertTrue(taskCancelled);
        assertTrue(never.isCancelled());
    }

    @Test
    void aCompletableFutureCancelledElsewhereCancelsTheAwaiter() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Throwable seen = Asyncio.run(() -> {
            // Cancelled elsewhere once this coroutine awaits it: the callback runs after the coroutine has suspended.
            Asyncio.getRunningLoop().callSoon(() -> Thread.ofPlatform().start(() -> cf.cancel(false)));
            try {
                await(cf);
                return null;
            } catch (CancelledError e) {
                return e;
            }
        });
        assertInstanceOf(CancelledError.class, seen);
        assertInstanceOf(CancellationException.class, seen.getCause(), "the original cancellation is kept as the cause");
    }

    @Test
    void wrappingOurOwnCompletableFutureGivesTheFutureBack() {
        Asyncio.run(() -> {
            Future<String> f = getRunningLoop().createFuture();
            assertSame(f, wrapFuture(f.toCompletableFuture()));
            CompletableFuture<String> derived = f.toCompletableFuture().thenApply(s -> s + "!");
            Future<String> wrapped = wrapFuture(derived);
            f.setResult("a");
            assertEquals("a!", wrapped.await());
        });
    }

    @Test
    void aMinimalCompletionStageCanBeAwaited() {
        CompletionStage<String> minimal = completeLater("minimal").minimalCompletionStage();
        assertEquals("minimal", Asyncio.run(() -> await(minimal)));
    }

    @Test
    void aPlainJavaFutureCanBeWrappedAwaitedAndCancelled() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        CountDownLatch hold = new CountDownLatch(1);
        try {
            java.util.concurrent.Future<Integer> blocker = pool.submit(() -> {
                hold.await(5, TimeUnit.SECONDS);
                return 1;
            });
            java.util.concurrent.Future<Integer> queued = pool.submit(() -> 2);
            IllegalArgumentException bad = new IllegalArgumentException("bad");
            java.util.concurrent.Future<Integer> failing = pool.submit(() -> {
                throw bad;
            });
            List<Object> r = Asyncio.run(() -> {
                Future<Integer> q = wrapFuture(queued);
                q.cancel();
                sleep(0);
                hold.countDown();
                List<Object> out = new ArrayList<>();
                out.add(await(blocker));
                try {
                    await(failing);
                } catch (IllegalArgumentException e) {
                    out.add(e);
                }
                return out;
            });
            assertEquals(1, r.get(0));
            assertSame(bad, r.get(1));
            assertTrue(queued.isCancelled(), "cancelling the wrapper cancels the source");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anAutoJumpingVirtualClockWaitsForAPendingStage() {
        IdleWatchClock clock = new IdleWatchClock(true);
        try (EventLoop loop = new EventLoop(clock)) {
            double at = loop.runUntilComplete(() -> {
                Task<Void> sleeper = createTask(() -> sleep(Duration.ofHours(1)));
                // Completed only once the loop is idle with the stage pending: the moment it must not jump.
                CompletableFuture<String> late = new CompletableFuture<>();
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        clock.awaitIdle();
                        late.complete("late");
                    } catch (Throwable e) {
                        late.completeExceptionally(e);
                    }
                });
                await(late);
                double t = loop.time();
                sleeper.await();
                return t;
            });
            assertTrue(at < 3600, "the clock jumped past a pending CompletableFuture: " + at);
        }
    }
}
