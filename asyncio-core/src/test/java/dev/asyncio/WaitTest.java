package dev.asyncio;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.getRunningLoop;
import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.VirtualLoops.now;
import static dev.asyncio.VirtualLoops.run;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ports of the wait() cases of CPython's test_tasks.py, on a virtual clock. */
class WaitTest {

    static Task<String> sleeper(Duration d, String value) {
        return createTask(() -> {
            sleep(d);
            return value;
        });
    }

    @Test
    void waitAllCompleted() {
        run(() -> {
            double t0 = now();
            Task<String> a = sleeper(ofMillis(100), "a");
            Task<String> b = sleeper(ofMillis(150), "b");
            WaitResult<Task<String>> r = Asyncio.wait(List.of(b, a));
            assertEquals(Set.of(a, b), r.done());
            assertEquals(Set.of(), r.pending());
            assertEquals(t0 + 0.15, now(), 1e-9);
            // Doing it again takes no time (but still yields once).
            r = Asyncio.wait(List.of(b, a));
            assertEquals(Set.of(a, b), r.done());
            assertEquals(t0 + 0.15, now(), 1e-9);
            assertEquals(List.of(b, a), List.copyOf(r.done()), "the order given is kept");
        });
    }

    @Test
    void waitDuplicatesCountOnce() {
        run(() -> {
            Task<String> a = sleeper(ofMillis(10), "a");
            WaitResult<Task<String>> r = Asyncio.wait(List.of(a, a));
            assertEquals(1, r.done().size());
        });
    }

    @Test
    void waitErrors() {
        run(() -> {
            assertThrows(IllegalArgumentException.class, () -> Asyncio.wait(List.<Future<?>>of()));
            Task<String> a = sleeper(ofMillis(10), "a");
            assertThrows(NullPointerException.class, () -> Asyncio.wait(List.of(a), null, null));
            try (EventLoop other = new EventLoop(new VirtualClock())) {
                Future<String> foreign = new Future<>(other);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Asyncio.wait(List.of(a, foreign)));
                assertTrue(e.getMessage().contains("another loop"), e.getMessage());
            }
            a.await();
        });
    }

    @Test
    void waitFirstCompleted() {
        run(() -> {
            Task<String> a = sleeper(ofSeconds(10), "a");
            Task<String> b = sleeper(ofMillis(100), "b");
            WaitResult<Task<String>> r = Asyncio.wait(List.of(b, a), null, ReturnWhen.FIRST_COMPLETED);
            assertEquals(Set.of(b), r.done());
            assertEquals(Set.of(a), r.pending());
            assertFalse(a.isDone(), "wait never cancels");
            a.cancel();
            Asyncio.wait(List.of(a));
        });
    }

    @Test
    void waitReallyDone() {
        // There should be no time gap between the done callbacks and wait() seeing them.
        run(() -> {
            Task<Void> a = createTask(() -> {
                sleep(Duration.ZERO);
                sleep(Duration.ZERO);
            });
            Task<Void> b = createTask(() -> sleep(Duration.ZERO));
            WaitResult<Task<Void>> r = Asyncio.wait(List.of(a, b), null, ReturnWhen.FIRST_COMPLETED);
            // b's done callback wakes wait() in the iteration where a finishes: both are seen done.
            assertEquals(Set.of(a, b), r.done());
            assertEquals(Set.of(), r.pending());
        });
    }

    @Test
    void waitFirstException() {
        run(() -> {
            Task<String> a = sleeper(ofSeconds(10), "a");
            Task<String> b = createTask(() -> {
                throw new ArithmeticException();
            });
            WaitResult<Task<String>> r = Asyncio.wait(List.of(b, a), null, ReturnWhen.FIRST_EXCEPTION);
            assertEquals(Set.of(b), r.done());
            assertEquals(Set.of(a), r.pending());
            assertTrue(b.exception() instanceof ArithmeticException);
            a.cancel();
        });
    }

    @Test
    void waitFirstExceptionInWait() {
        run(() -> {
            Task<String> a = sleeper(ofSeconds(10), "a");
            Task<String> b = createTask(() -> {
                sleep(ofMillis(10));
                throw new ArithmeticException();
            });
            double t0 = now();
            WaitResult<Task<String>> r = Asyncio.wait(List.of(b, a), null, ReturnWhen.FIRST_EXCEPTION);
            assertEquals(t0 + 0.01, now(), 1e-9);
            assertEquals(Set.of(b), r.done());
            assertEquals(Set.of(a), r.pending());
            b.exception();
            a.cancel();
        });
    }

    @Test
    void waitFirstExceptionIgnoresCancelledAndResults() {
        run(() -> {
            Task<String> a = sleeper(ofMillis(10), "a");
            Task<String> c = sleeper(ofMillis(20), "c");
            Task<String> b = sleeper(ofMillis(30), "b");
            getRunningLoop().callLater(ofMillis(15), () -> c.cancel());
            double t0 = now();
            WaitResult<Task<String>> r = Asyncio.wait(List.of(a, b, c), null, ReturnWhen.FIRST_EXCEPTION);
            assertEquals(t0 + 0.03, now(), 1e-9, "no exception: it waits for all");
            assertEquals(3, r.done().size());
        });
    }

    @Test
    void waitWithException() {
        run(() -> {
            Task<String> a = sleeper(ofMillis(100), "a");
            Task<String> b = createTask(() -> {
                sleep(ofMillis(150));
                throw new ArithmeticException();
            });
            double t0 = now();
            WaitResult<Task<String>> r = Asyncio.wait(List.of(b, a));
            assertEquals(2, r.done().size());
            assertEquals(t0 + 0.15, now(), 1e-9);
            assertThrows(ArithmeticException.class, b::result);
        });
    }

    @Test
    void waitWithTimeoutNeverRaisesNeverCancels() {
        run(() -> {
            Task<String> a = sleeper(ofMillis(100), "a");
            Task<String> b = sleeper(ofMillis(150), "b");
            double t0 = now();
            WaitResult<Task<String>> r = Asyncio.wait(List.of(b, a), ofMillis(110));
            assertEquals(t0 + 0.11, now(), 1e-9);
            assertEquals(Set.of(a), r.done());
            assertEquals(Set.of(b), r.pending());
            assertFalse(b.isCancelled());
            assertEquals("b", b.await());
        });
    }

    @Test
    void waitConcurrentComplete() {
        run(() -> {
            // (CPython's test drives time by hand to let a finish exactly at the deadline; on a
            // virtual clock a timer registered first fires first, so a ends just before it.)
            Task<String> a = sleeper(ofMillis(99), "a");
            Task<String> b = sleeper(ofMillis(150), "b");
            WaitResult<Task<String>> r = Asyncio.wait(List.of(b, a), ofMillis(100));
            assertEquals(Set.of(a), r.done());
            assertEquals(Set.of(b), r.pending());
            b.await();
        });
    }

    @Test
    void waitAlreadyDoneStillYieldsOnce() {
        run(() -> {
            Future<String> done = getRunningLoop().createFuture();
            done.setResult("x");
            boolean[] otherRan = {false};
            getRunningLoop().callSoon(() -> otherRan[0] = true);
            Asyncio.wait(List.of(done));
            assertTrue(otherRan[0]);
        });
    }

    @Test
    void cancellingTheWaiterLeavesTheFuturesAlone() {
        run(() -> {
            Task<String> a = sleeper(ofSeconds(1), "a");
            Task<WaitResult<Task<String>>> waiter = createTask(() -> Asyncio.wait(List.of(a)));
            sleep(ofMillis(10));
            waiter.cancel();
            assertThrows(CancelledError.class, waiter::await);
            assertFalse(a.isCancelled());
            assertEquals("a", a.await());
        });
    }
}
