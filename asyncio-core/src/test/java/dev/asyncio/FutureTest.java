package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ports of CPython's test_futures: states, results, callbacks, lost exceptions. */
class FutureTest {
    private final EventLoop loop = new EventLoop();
    private final List<ExceptionContext> reported = new CopyOnWriteArrayList<>();

    FutureTest() {
        loop.setExceptionHandler((l, ctx) -> {
            reported.add(ctx);
            synchronized (reported) {
                reported.notifyAll(); // wakes a test waiting for a report from the cleaner's thread
            }
        });
    }

    @AfterEach
    void close() {
        loop.close();
    }

    @Test
    void initialState() {
        Future<Integer> f = loop.createFuture();
        assertFalse(f.isDone());
        assertFalse(f.isCancelled());
        assertSame(loop, f.getLoop());
        InvalidStateError e = assertThrows(InvalidStateError.class, f::result);
        assertTrue(e.getMessage().contains("not ready"), e.getMessage());
        assertThrows(InvalidStateError.class, f::exception);
    }

    @Test
    void result() {
        Future<String> f = loop.createFuture();
        f.setResult("x");
        assertTrue(f.isDone());
        assertEquals("x", f.result());
        assertNull(f.exception());
        assertThrows(InvalidStateError.class, () -> f.setResult("y"));
        assertThrows(InvalidStateError.class, () -> f.setException(new RuntimeException()));
        assertFalse(f.cancel());
    }

    @Test
    void exceptionIsRethrownAsTheSameObjectEvenWhenChecked() {
        Future<String> f = loop.createFuture();
        IOException boom = new IOException("boom");
        f.setException(boom);
        Exception thrown = assertThrows(Exception.class, f::result);
        assertSame(boom, thrown);
        assertSame(boom, f.exception());
    }

    @Test
    void cancelWithMessage() {
        Future<String> f = loop.createFuture();
        assertTrue(f.cancel("stop it"));
        assertTrue(f.isCancelled());
        assertTrue(f.isDone());
        CancelledError e = assertThrows(CancelledError.class, f::result);
        assertEquals("stop it", e.getMessage());
        assertSame(e, assertThrows(CancelledError.class, f::exception));
        assertFalse(f.cancel());
    }

    @Test
    void callbacksRunInOrderInTheNextIterationWithTheFuture() {
        Future<String> f = loop.createFuture();
        List<String> seen = new ArrayList<>();
        f.addDoneCallback(x -> seen.add("a:" + x.result()));
        f.addDoneCallback(x -> seen.add("b:" + x.result()));
        f.setResult("r");
        assertTrue(seen.isEmpty(), "callbacks are scheduled, not called, by setResult");
        loop.runUntilComplete(() -> {
            Asyncio.sleep(java.time.Duration.ZERO);
            return null;
        });
        assertEquals(List.of("a:r", "b:r"), seen);
    }

    @Test
    void callbackAddedToDoneFutureIsScheduled() {
        Future<String> f = loop.createFuture();
        f.setResult("r");
        List<String> seen = new ArrayList<>();
        f.addDoneCallback(x -> seen.add(x.result()));
        assertTrue(seen.isEmpty());
        loop.runUntilComplete(() -> null);
        assertEquals(List.of("r"), seen);
    }

    @Test
    void aFailingDoneCallbackIsReportedWithItsOwnCallbackAndGetsItsFuture() {
        Future<String> f = loop.createFuture();
        List<Future<String>> given = new ArrayList<>();
        Consumer<Future<String>> failing = new Consumer<>() {
            @Override
            public void accept(Future<String> x) {
                given.add(x);
                throw new IllegalStateException("boom");
            }

            @Override
            public String toString() {
                return "the failing callback";
            }
        };
        f.addDoneCallback(failing);
        f.setResult("r");
        loop.runUntilComplete(() -> null);
        assertEquals(List.of(f), given, "the callback is called once, with its future");
        assertEquals(1, reported.size(), reported.toString());
        ExceptionContext ctx = reported.get(0);
        assertEquals("boom", ctx.exception().getMessage());
        assertEquals("DoneCallback[the failing callback]", ctx.handle().toString());
        assertTrue(ctx.message().contains("DoneCallback[the failing callback]"), ctx.message());
    }

    @Test
    void removeDoneCallbackRemovesEveryRegistration() {
        Future<String> f = loop.createFuture();
        List<String> seen = new ArrayList<>();
        Consumer<Future<String>> a = x -> seen.add("a");
        Consumer<Future<String>> b = x -> seen.add("b");
        f.addDoneCallback(a);
        f.addDoneCallback(b);
        f.addDoneCallback(a);
        assertEquals(2, f.removeDoneCallback(a));
        assertEquals(0, f.removeDoneCallback(a));
        f.setResult("r");
        loop.runUntilComplete(() -> null);
        assertEquals(List.of("b"), seen);
    }

    @Test
    void awaitOutsideACoroutineSaysWhatToDo() {
        Future<String> f = loop.createFuture();
        IllegalStateException e = assertThrows(IllegalStateException.class, f::await);
        assertTrue(e.getMessage().contains("must be called from a coroutine"), e.getMessage());
        f.setResult("done");
        // Even a done future may only be awaited from a coroutine: the rule does not depend on timing.
        assertThrows(IllegalStateException.class, f::await);
    }

    @Test
    void awaitFromACallbackIsRefused() {
        Future<String> f = loop.createFuture();
        List<Throwable> errors = new ArrayList<>();
        loop.callSoon(() -> {
            try {
                f.await();
            } catch (Throwable t) {
                errors.add(t);
            }
        });
        loop.runUntilComplete(() -> null);
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).getMessage().contains("callback"), errors.get(0).getMessage());
    }

    @Test
    void awaitingAFutureOfAnotherLoopIsRefused() {
        try (EventLoop other = new EventLoop()) {
            Future<String> foreign = other.createFuture();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> loop.runUntilComplete(() -> foreign.await()));
            assertTrue(e.getMessage().contains("different loop"), e.getMessage());
        }
    }

    @Test
    void settingAFutureFromAForeignThreadWhileTheLoopRunsIsRefused() throws Exception {
        Future<String> f = loop.createFuture();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        loop.runUntilComplete(() -> {
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    f.setResult("nope");
                } catch (Throwable e) {
                    errors.add(e);
                }
                loop.callSoonThreadsafe(() -> f.setResult("yes"));
            });
            String r = f.await();
            t.join();
            return r;
        });
        assertEquals("yes", f.result());
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).getMessage().contains("callSoonThreadsafe"), errors.get(0).getMessage());
    }

    @Test
    void unretrievedExceptionIsReportedWhenTheLoopCloses() {
        Future<String> f = loop.createFuture();
        RuntimeException boom = new RuntimeException("lost");
        f.setException(boom);
        loop.close();
        assertEquals(1, reported.size());
        assertSame(boom, reported.get(0).exception());
        assertTrue(reported.get(0).message().startsWith("Future exception was never retrieved"), reported.get(0).message());
    }

    @Test
    void retrievedExceptionIsNotReported() {
        Future<String> f = loop.createFuture();
        f.setException(new RuntimeException("seen"));
        f.exception();
        loop.close();
        assertTrue(reported.isEmpty(), reported.toString());
    }

    @Test
    void unretrievedExceptionIsReportedWhenTheFutureIsCollected() throws Exception {
        RuntimeException boom = new RuntimeException("collected");
        Runnable make = () -> loop.createFuture().setException(boom);
        make.run();
        // Prompt the GC until the cleaner has reported (an event, not a guessed delay); the bound is a hang guard.
        for (int i = 0; i < 3000 && reported.isEmpty(); i++) {
            System.gc();
            synchronized (reported) {
                if (reported.isEmpty()) {
                    reported.wait(10);
                }
            }
        }
        assertEquals(1, reported.size(), "reported by the cleaner without waiting for close");
        assertSame(boom, reported.get(0).exception());
    }

    /** Port of test_futures' test_tb_logger_not_called_after_cancel, checked at loop close. */
    @Test
    void cancelOnAFailedFutureReturnsFalseAndCountsAsRetrieving() {
        Future<String> f = loop.createFuture();
        RuntimeException boom = new RuntimeException("discarded");
        f.setException(boom);
        assertFalse(f.cancel(), "a done future is not cancelled");
        assertFalse(f.isCancelled());
        assertSame(boom, f.exception(), "the outcome is unchanged");
        Future<String> g = loop.createFuture();
        g.setException(new RuntimeException("also discarded"));
        assertFalse(g.cancel("with a message"));
        loop.close();
        assertTrue(reported.isEmpty(), reported.toString());
    }

    /**
     * The same at collection: a failed future that was cancelled is never reported by the cleaner; a
     * failed one collected alongside it without a cancel() is, which shows the cleaner ran.
     */
    @Test
    void cancelOnAFailedFutureSilencesTheReportAtCollection() throws Exception {
        RuntimeException cancelled = new RuntimeException("cancelled, then collected");
        RuntimeException control = new RuntimeException("collected without a cancel");
        Runnable make = () -> {
            Future<String> f = loop.createFuture();
            f.setException(cancelled);
            assertFalse(f.cancel());
            loop.createFuture().setException(control);
        };
        make.run();
        for (int i = 0; i < 50 && reported.isEmpty(); i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(1, reported.size(), reported.toString());
        assertSame(control, reported.get(0).exception());
        loop.close();
        assertEquals(1, reported.size(), "nothing more at close: " + reported);
    }

    @Test
    void toStringShowsState() {
        Future<String> f = loop.createFuture();
        assertEquals("<Future pending>", f.toString());
        f.setResult("v");
        assertEquals("<Future finished result=v>", f.toString());
    }

    // ---- addDoneCallbackFromAnyThread: the bridges' registration from a foreign thread ----

    /** Registers {@code callback} on {@code f} from a new platform thread and waits for that thread. */
    private static <T> void registerFromAnotherThread(Future<T> f, Consumer<? super Future<T>> callback)
            throws InterruptedException {
        Thread t = Thread.ofPlatform().start(() -> f.addDoneCallbackFromAnyThread(callback));
        t.join();
    }

    /** Runs one more iteration of {@code loop} and the callbacks it scheduled. */
    private static void runOnce(EventLoop loop) {
        loop.runUntilComplete(() -> {
            Asyncio.sleep(java.time.Duration.ZERO);
            return null;
        });
    }

    @Test
    void aCallbackRegisteredFromAnotherThreadWhilePendingRunsOnceOnTheLoopWhenDone() throws Exception {
        Future<String> f = loop.createFuture();
        List<String> seen = new CopyOnWriteArrayList<>();
        registerFromAnotherThread(f, x -> seen.add(x.result() + (loop.engine.isOnTurn() ? " on the turn" : " elsewhere")));
        assertEquals(List.of(), seen);
        loop.runUntilComplete(() -> {
            f.setResult("v");
            Asyncio.sleep(java.time.Duration.ZERO);
            return null;
        });
        assertEquals(List.of("v on the turn"), seen);
        runOnce(loop);
        assertEquals(List.of("v on the turn"), seen, "exactly once");
    }

    @Test
    void aCallbackRegisteredFromAnotherThreadOnceDoneIsScheduledOnTheLoop() throws Exception {
        Future<String> f = loop.createFuture();
        f.setResult("v");
        List<String> seen = new CopyOnWriteArrayList<>();
        registerFromAnotherThread(f, x -> seen.add(x.result() + (loop.engine.isOnTurn() ? " on the turn" : " elsewhere")));
        registerFromAnotherThread(f, x -> seen.add("second " + (loop.engine.isOnTurn() ? "on the turn" : "elsewhere")));
        assertEquals(List.of(), seen, "not on the registering thread");
        runOnce(loop);
        assertEquals(List.of("v on the turn", "second on the turn"), seen);
    }

    @Test
    void aCallbackRegisteredFromAnotherThreadOnceDoneRunsOnThatThreadIfTheLoopIsClosed() throws Exception {
        Future<String> f = loop.createFuture();
        f.setResult("v");
        loop.close();
        List<String> seen = new CopyOnWriteArrayList<>();
        registerFromAnotherThread(f, x -> seen.add(x.result() + " on " + Thread.currentThread().getName()));
        assertEquals(1, seen.size(), "nothing is lost: " + seen);
        assertTrue(seen.get(0).startsWith("v on "), seen.toString());
    }

    @Test
    void removeDoneCallbackRemovesARegistrationFromAnotherThread() throws Exception {
        Future<String> f = loop.createFuture();
        List<String> seen = new CopyOnWriteArrayList<>();
        Consumer<Future<String>> removed = x -> seen.add("removed one ran");
        registerFromAnotherThread(f, removed);
        registerFromAnotherThread(f, x -> seen.add("kept"));
        assertEquals(1, f.removeDoneCallback(removed));
        f.setResult("v");
        runOnce(loop);
        assertEquals(List.of("kept"), seen);
    }

    /**
     * Threads register while the loop completes the future: each callback runs exactly once, whichever
     * side took it (the completion, or the registering thread that saw the future done). Bounded: 200
     * rounds of 4 threads × 10 registrations.
     */
    @Test
    void registrationsRacingTheCompletionEachRunExactlyOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            EventLoop l = new EventLoop();
            Future<Integer> f = l.createFuture();
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger offTurn = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    for (int i = 0; i < 10; i++) {
                        f.addDoneCallbackFromAnyThread(x -> {
                            calls.incrementAndGet();
                            if (!l.engine.isOnTurn()) {
                                offTurn.incrementAndGet();
                            }
                        });
                    }
                }));
            }
            int r = round;
            l.runUntilComplete(() -> {
                go.countDown();
                for (int i = 0; i < r % 7; i++) {
                    Asyncio.sleep(java.time.Duration.ZERO);
                }
                f.setResult(1);
                Asyncio.toThread(() -> {
                    for (Thread t : threads) {
                        t.join();
                    }
                    return null;
                });
                Asyncio.sleep(java.time.Duration.ZERO);
                Asyncio.sleep(java.time.Duration.ZERO);
                return null;
            });
            l.close();
            assertEquals(40, calls.get(), "round " + round);
            assertEquals(0, offTurn.get(), "round " + round + ": every callback ran on the loop");
        }
    }
}
