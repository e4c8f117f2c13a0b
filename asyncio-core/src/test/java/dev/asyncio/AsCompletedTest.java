package dev.asyncio;

import static dev.asyncio.Asyncio.asCompleted;
import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.getRunningLoop;
import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.VirtualLoops.now;
import static dev.asyncio.VirtualLoops.run;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Ports of the as_completed() cases of CPython's test_tasks.py, on a virtual clock. */
class AsCompletedTest {

    static Task<String> sleeper(Duration d, String value) {
        return createTask(() -> {
            sleep(d);
            return value;
        });
    }

    @Test
    void asCompletedYieldsInCompletionOrder() {
        run(() -> {
            double t0 = now();
            List<Task<String>> tasks = List.of(sleeper(ofMillis(100), "a"), sleeper(ofMillis(50), "b"),
                    sleeper(ofMillis(150), "c"));
            List<String> values = new ArrayList<>();
            List<Double> times = new ArrayList<>();
            for (Task<String> t : asCompleted(tasks)) {
                assertTrue(t.isDone());
                values.add(t.await());
                times.add(now() - t0);
            }
            assertEquals(List.of("b", "a", "c"), values);
            assertEquals(0.15, times.get(2), 1e-9);
        });
    }

    @Test
    void asCompletedWithTimeout() {
        run(() -> {
            Task<String> a = sleeper(ofMillis(100), "a");
            Task<String> b = sleeper(ofSeconds(10), "b");
            double t0 = now();
            Iterator<Task<String>> it = asCompleted(List.of(a, b), ofMillis(120)).iterator();
            assertSame(a, it.next());
            assertTrue(it.hasNext());
            assertThrows(TimeoutError.class, it::next);
            assertEquals(t0 + 0.12, now(), 1e-9);
            assertFalse(it.hasNext());
            assertFalse(b.isCancelled(), "nothing is cancelled");
            b.cancel();
        });
    }

    @Test
    void asCompletedWithUnusedTimeout() {
        run(() -> {
            Task<String> a = sleeper(ofMillis(10), "a");
            for (Task<String> t : asCompleted(List.of(a), ofMillis(100))) {
                assertEquals("a", t.await());
            }
            sleep(ofMillis(200)); // the cancelled timer does nothing
        });
    }

    @Test
    void asCompletedTimeoutAfterSomeFinishedKeepsThem() {
        run(() -> {
            Task<String> a = sleeper(ofMillis(10), "a");
            Task<String> b = sleeper(ofMillis(20), "b");
            Task<String> c = sleeper(ofSeconds(10), "c");
            Iterable<Task<String>> it = asCompleted(List.of(a, b, c), ofMillis(50));
            sleep(ofMillis(100)); // everything that finished before the timeout is still handed out
            Iterator<Task<String>> iter = it.iterator();
            assertSame(a, iter.next());
            assertSame(b, iter.next());
            assertThrows(TimeoutError.class, iter::next);
            assertThrows(NoSuchElementException.class, iter::next);
            c.cancel();
        });
    }

    @Test
    void asCompletedReverseWait() {
        run(() -> {
            Task<String> a = sleeper(ofMillis(50), "a");
            Task<String> b = sleeper(ofMillis(100), "b");
            Iterator<Task<String>> it = asCompleted(List.of(a, b)).iterator();
            sleep(ofMillis(200));
            assertEquals("a", it.next().await());
            assertEquals("b", it.next().await());
            assertFalse(it.hasNext());
        });
    }

    @Test
    void asCompletedConcurrentAndDuplicates() {
        run(() -> {
            Task<String> a = sleeper(ofMillis(50), "a");
            Task<String> b = sleeper(ofMillis(50), "b");
            List<String> got = new ArrayList<>();
            for (Task<String> t : asCompleted(List.of(a, b, a))) {
                got.add(t.await());
            }
            assertEquals(List.of("a", "b"), got);
        });
    }

    @Test
    void asCompletedRethrowsFailures() {
        run(() -> {
            Task<String> bad = createTask(() -> {
                sleep(ofMillis(10));
                throw new IllegalStateException("bad");
            });
            Task<String> good = sleeper(ofMillis(20), "good");
            Iterator<Task<String>> it = asCompleted(List.of(good, bad)).iterator();
            assertThrows(IllegalStateException.class, () -> it.next().await());
            assertEquals("good", it.next().await());
        });
    }

    @Test
    void asCompletedIsOneShotAndEmptyIsFine() {
        run(() -> {
            Iterable<Future<String>> none = asCompleted(List.of());
            assertFalse(none.iterator().hasNext());
            assertThrows(IllegalStateException.class, none::iterator);
        });
    }

    @Test
    void cancelledWaitLosesNothing() {
        run(() -> {
            Future<String> f = getRunningLoop().createFuture();
            Iterator<Future<String>> it = asCompleted(List.of(f)).iterator();
            Task<Future<String>> reader = createTask(it::next);
            sleep(Duration.ZERO);
            reader.cancel();
            assertThrows(CancelledError.class, reader::await);
            f.setResult("kept");
            assertEquals("kept", it.next().await());
        });
    }
}
