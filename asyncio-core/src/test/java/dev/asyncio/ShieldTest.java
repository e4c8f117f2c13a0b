package dev.asyncio;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.gather;
import static dev.asyncio.Asyncio.getRunningLoop;
import static dev.asyncio.Asyncio.shield;
import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.VirtualLoops.run;
import static java.time.Duration.ofMillis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ports of the shield() cases of CPython's test_tasks.py, on a virtual clock. */
class ShieldTest {

    @Test
    void shieldResult() {
        run(() -> {
            Future<Integer> inner = getRunningLoop().createFuture();
            Future<Integer> outer = shield(inner);
            sleep(Duration.ZERO);
            inner.setResult(42);
            assertEquals(42, outer.await());
        });
    }

    @Test
    void shieldException() {
        run(() -> {
            Future<Integer> inner = getRunningLoop().createFuture();
            Future<Integer> outer = shield(inner);
            sleep(Duration.ZERO);
            IllegalStateException exc = new IllegalStateException();
            inner.setException(exc);
            assertSame(exc, assertThrows(IllegalStateException.class, outer::await));
        });
    }

    @Test
    void shieldCancelInner() {
        run(() -> {
            Future<Integer> inner = getRunningLoop().createFuture();
            Future<Integer> outer = shield(inner);
            sleep(Duration.ZERO);
            inner.cancel();
            sleep(Duration.ZERO);
            assertTrue(outer.isCancelled());
        });
    }

    @Test
    void shieldCancelOuter() {
        run(() -> {
            Future<Integer> inner = getRunningLoop().createFuture();
            Future<Integer> outer = shield(inner);
            sleep(Duration.ZERO);
            outer.cancel();
            sleep(Duration.ZERO);
            assertTrue(outer.isCancelled());
            assertFalse(inner.isCancelled());
            inner.setResult(1);
        });
    }

    @Test
    void shieldCancelOuterThenInnerFailsIsStillReported() {
        // Deviation from asyncio on purpose: the inner error is not marked retrieved, so it is not lost.
        List<ExceptionContext> reported = new ArrayList<>();
        try (EventLoop loop = new EventLoop(new VirtualClock())) {
            loop.setExceptionHandler((l, c) -> reported.add(c));
            loop.runUntilComplete(() -> {
                Future<Integer> inner = getRunningLoop().createFuture();
                Future<Integer> outer = shield(inner);
                outer.cancel();
                sleep(Duration.ZERO);
                inner.setException(new IllegalStateException("late"));
                sleep(Duration.ZERO);
            });
        }
        assertEquals(1, reported.size(), reported.toString());
        assertInstanceOf(IllegalStateException.class, reported.get(0).exception());
    }

    @Test
    void shieldShortcut() {
        run(() -> {
            Future<Integer> fut = getRunningLoop().createFuture();
            fut.setResult(42);
            Future<Integer> res = shield(fut);
            assertSame(fut, res);
            assertEquals(42, res.await());
        });
    }

    @Test
    void shieldEffect() {
        // Cancelling outer() cancels its await of the shield but not inner().
        run(() -> {
            List<String> proof = new ArrayList<>();
            Future<Void> waiter = getRunningLoop().createFuture();
            Task<Void> inner = createTask(() -> {
                waiter.await();
                proof.add("inner");
            });
            Task<Void> outer = createTask(() -> {
                shield(inner).await();
                proof.add("outer");
            });
            sleep(Duration.ZERO);
            outer.cancel();
            assertThrows(CancelledError.class, outer::await);
            waiter.setResult(null);
            inner.await();
            assertEquals(List.of("inner"), proof);
        });
    }

    @Test
    void shieldCoroutineRunsToTheEnd() {
        run(() -> {
            List<String> proof = new ArrayList<>();
            Task<Void> outer = createTask(() -> {
                shield(() -> {
                    sleep(ofMillis(100));
                    proof.add("shielded");
                    return null;
                }).await();
                proof.add("outer");
            });
            sleep(ofMillis(10));
            outer.cancel();
            assertThrows(CancelledError.class, outer::await);
            sleep(ofMillis(200));
            assertEquals(List.of("shielded"), proof);
        });
    }

    @Test
    void shieldGather() {
        run(() -> {
            Future<Integer> child1 = getRunningLoop().createFuture();
            Future<Integer> child2 = getRunningLoop().createFuture();
            Future<List<Integer>> parent = gather(child1, child2);
            Future<List<Integer>> outer = shield(parent);
            sleep(Duration.ZERO);
            assertTrue(outer.cancel());
            sleep(Duration.ZERO);
            assertTrue(outer.isCancelled());
            child1.setResult(1);
            child2.setResult(2);
            sleep(Duration.ZERO);
            assertEquals(List.of(1, 2), parent.result());
        });
    }

    @Test
    void gatherShield() {
        run(() -> {
            Future<Integer> child1 = getRunningLoop().createFuture();
            Future<Integer> child2 = getRunningLoop().createFuture();
            Future<Integer> inner1 = shield(child1);
            Future<Integer> inner2 = shield(child2);
            Future<List<Integer>> parent = gather(inner1, inner2);
            sleep(Duration.ZERO);
            parent.cancel();
            // This should cancel inner1 and inner2 but not child1 and child2.
            sleep(Duration.ZERO);
            assertThrows(CancelledError.class, parent::result);
            assertTrue(inner1.isCancelled());
            assertTrue(inner2.isCancelled());
            child1.setResult(1);
            child2.setResult(2);
            sleep(Duration.ZERO);
            assertEquals(1, child1.result());
        });
    }
}
