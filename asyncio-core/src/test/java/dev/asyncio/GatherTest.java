package dev.asyncio;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.gather;
import static dev.asyncio.Asyncio.gatherReturnExceptions;
import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ports of the gather cases of CPython's test_tasks (GatherTestsBase and friends). */
class GatherTest {
    private final EventLoop loop = new EventLoop(new VirtualClock());

    @AfterEach
    void close() {
        loop.close();
    }

    private static Coroutine<String> after(Duration d, String value) {
        return () -> {
            sleep(d);
            return value;
        };
    }

    @Test
    void resultsKeepArgumentOrderNotCompletionOrder() {
        List<String> r = loop.runUntilComplete(() -> gather(
                createTask(after(Duration.ofSeconds(3), "slow")),
                createTask(after(Duration.ofSeconds(1), "fast")),
                createTask(after(Duration.ofSeconds(2), "middle"))).await());
        assertEquals(List.of("slow", "fast", "middle"), r);
        assertEquals(3.0, loop.time(), 1e-9, "they ran concurrently");
    }

    @Test
    void gatherOfCoroutinesWrapsThemInTasks() {
        List<String> r = loop.runUntilComplete(() -> gather(after(Duration.ofSeconds(1), "a"), after(Duration.ofSeconds(1), "b")).await());
        assertEquals(List.of("a", "b"), r);
    }

    @Test
    void firstFailurePropagatesAsTheSameObjectAndSiblingsGoOn() {
        IllegalStateException boom = new IllegalStateException("boom");
        Task<?>[] slow = new Task<?>[1];
        Throwable caught = loop.runUntilComplete(() -> {
            slow[0] = createTask(after(Duration.ofSeconds(5), "slow"));
            Task<String> failing = createTask(() -> {
                sleep(Duration.ofSeconds(1));
                throw boom;
            });
            try {
                gather(slow[0], failing).await();
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        });
        assertSame(boom, caught);
        assertFalse(slow[0].isCancelled(), "gather does not cancel siblings on failure");
        assertEquals("slow", loop.runUntilComplete(slow[0]));
    }

    @Test
    void returnExceptionsListsResultsExceptionsAndCancellations() {
        RuntimeException boom = new RuntimeException("boom");
        List<Object> r = loop.runUntilComplete(() -> {
            Task<String> ok = createTask(after(Duration.ofSeconds(1), "ok"));
            Task<String> failing = createTask(() -> {
                throw boom;
            });
            Task<String> cancelled = createTask(after(Duration.ofSeconds(9), "never"));
            cancelled.cancel("gone");
            return gatherReturnExceptions(ok, failing, cancelled).await();
        });
        assertEquals("ok", r.get(0));
        assertSame(boom, r.get(1));
        assertInstanceOf(CancelledError.class, r.get(2));
        assertEquals("gone", ((CancelledError) r.get(2)).getMessage());
    }

    @Test
    void aCancelledChildMakesGatherRaiseCancelledError() {
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(() -> {
            Task<String> a = createTask(after(Duration.ofSeconds(1), "a"));
            Task<String> b = createTask(after(Duration.ofSeconds(9), "b"));
            Future<List<String>> all = gather(a, b);
            b.cancel("child cancelled");
            try {
                return all.await();
            } finally {
                assertFalse(all.isCancelled(), "asyncio: the gathering future gets the CancelledError as its exception");
            }
        }));
        assertEquals("child cancelled", e.getMessage());
    }

    @Test
    void cancellingGatherCancelsEveryChild() {
        Task<?>[] children = new Task<?>[2];
        loop.runUntilComplete(() -> {
            children[0] = createTask(after(Duration.ofSeconds(5), "a"));
            children[1] = createTask(after(Duration.ofSeconds(5), "b"));
            Future<List<Object>> all = gather(children[0], children[1]);
            sleep(Duration.ofSeconds(1));
            assertTrue(all.cancel("stop all"));
            CancelledError e = assertThrows(CancelledError.class, all::await);
            assertEquals("stop all", e.getMessage());
            return null;
        });
        assertTrue(children[0].isCancelled());
        assertTrue(children[1].isCancelled());
    }

    @Test
    void cancellingTheAwaiterCancelsTheGatherAndItsChildren() {
        Task<?>[] children = new Task<?>[2];
        Task<List<String>> waiter = loop.createTask(() -> {
            children[0] = createTask(after(Duration.ofSeconds(5), "a"));
            children[1] = createTask(after(Duration.ofSeconds(5), "b"));
            return gather(List.of((Task<String>) children[0], (Task<String>) children[1])).await();
        });
        loop.runUntilComplete(() -> {
            sleep(Duration.ofSeconds(1));
            waiter.cancel();
            return null;
        });
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(waiter));
        assertTrue(children[0].isCancelled());
        assertTrue(children[1].isCancelled());
    }

    @Test
    void emptyGatherIsDoneAtOnce() {
        assertEquals(List.of(), loop.runUntilComplete(() -> gather(List.<Future<String>>of()).await()));
    }

    @Test
    void theSameFutureTwiceIsAwaitedOnceAndListedTwice() {
        List<String> r = loop.runUntilComplete(() -> {
            Task<String> t = createTask(after(Duration.ofSeconds(1), "x"));
            return gather(t, t).await();
        });
        assertEquals(List.of("x", "x"), r);
    }

    @Test
    void futuresOfDifferentLoopsAreRefused() {
        try (EventLoop other = new EventLoop()) {
            Future<String> a = loop.createFuture();
            Future<String> b = other.createFuture();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gather(a, b));
            assertTrue(e.getMessage().contains("different loops"), e.getMessage());
        }
    }
}
