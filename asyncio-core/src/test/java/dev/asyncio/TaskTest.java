package dev.asyncio;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.currentTask;
import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.engine.Turn;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ports of CPython's test_tasks: results, exceptions, yielding, cancellation in all its forms. */
class TaskTest {
    private final EventLoop loop = new EventLoop(new VirtualClock());
    private final List<ExceptionContext> reported = new CopyOnWriteArrayList<>();

    TaskTest() {
        loop.setExceptionHandler((l, ctx) -> reported.add(ctx));
    }

    @AfterEach
    void close() {
        loop.close();
    }

    @Test
    void resultAndNames() {
        Task<Integer> t = loop.createTask(() -> 42);
        assertTrue(t.getName().startsWith("Task-"), t.getName());
        Task<String> named = loop.createTask(() -> "x", "worker", null);
        assertEquals("worker", named.getName());
        named.setName("renamed");
        assertEquals(42, loop.runUntilComplete(t));
        assertEquals("x", loop.runUntilComplete(named));
        assertEquals("renamed", named.getName());
    }

    static void failDeep(int depth) throws IOException {
        if (depth == 0) {
            throw new IOException("deep failure");
        }
        failDeep(depth - 1);
    }

    @Test
    void exceptionReachesTheAwaiterAsTheSameObjectWithTheCoroutinesFrames() {
        Exception[] raised = new Exception[1];
        Exception caught = loop.runUntilComplete(() -> {
            Task<Void> failing = createTask(() -> {
                sleep(Duration.ofMillis(1));
                try {
                    failDeep(3);
                } catch (IOException e) {
                    raised[0] = e;
                    throw e;
                }
            });
            try {
                failing.await();
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        assertSame(raised[0], caught);
        long deepFrames = Arrays.stream(caught.getStackTrace()).filter(f -> f.getMethodName().equals("failDeep")).count();
        assertEquals(4, deepFrames, "the coroutine's own frames are in the trace");
    }

    @Test
    void awaitingADoneFutureDoesNotYield() {
        List<String> order = new ArrayList<>();
        loop.runUntilComplete(() -> {
            Future<String> done = getLoopFuture("v");
            Task<Void> a = createTask(() -> {
                order.add("a1");
                done.await();
                order.add("a2");
            });
            Task<Void> b = createTask(() -> {
                order.add("b1");
            });
            Asyncio.gather(a, b).await();
            return null;
        });
        assertEquals(List.of("a1", "a2", "b1"), order);
    }

    private static Future<String> getLoopFuture(String value) {
        Future<String> f = Asyncio.getRunningLoop().createFuture();
        f.setResult(value);
        return f;
    }

    @Test
    void sleepZeroYieldsExactlyOnce() {
        List<String> order = new ArrayList<>();
        loop.runUntilComplete(() -> {
            Task<Void> a = createTask(() -> {
                for (int i = 0; i < 3; i++) {
                    order.add("a" + i);
                    sleep(Duration.ZERO);
                }
            });
            Task<Void> b = createTask(() -> {
                for (int i = 0; i < 3; i++) {
                    order.add("b" + i);
                    sleep(Duration.ZERO);
                }
            });
            Asyncio.gather(a, b).await();
            return null;
        });
        assertEquals(List.of("a0", "b0", "a1", "b1", "a2", "b2"), order);
    }

    @Test
    void taskCancelledBeforeItStartsNeverRuns() {
        boolean[] ran = new boolean[1];
        Task<Void> t = loop.createTask(() -> {
            ran[0] = true;
        });
        assertTrue(t.cancel("early"));
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertEquals("early", e.getMessage());
        assertTrue(t.isCancelled());
        assertFalse(ran[0]);
        assertNull(t.thread, "no thread is started for a task cancelled before its first step");
    }

    @Test
    void cancelWhileSleepingRaisesInsideWithTheMessage() {
        List<String> seen = new ArrayList<>();
        Task<Void> sleeper = loop.createTask(() -> {
            try {
                sleep(Duration.ofHours(1));
            } catch (CancelledError e) {
                seen.add("cancelled:" + e.getMessage());
                throw e;
            }
        });
        loop.runUntilComplete(() -> {
            sleep(Duration.ofSeconds(1));
            sleeper.cancel("enough");
            try {
                sleeper.await();
            } catch (CancelledError e) {
                seen.add("awaiter:" + e.getMessage());
            }
            return null;
        });
        assertEquals(List.of("cancelled:enough", "awaiter:enough"), seen);
        assertTrue(sleeper.isCancelled());
        assertEquals(1.0, loop.time(), 1e-9, "cancelled long before the hour");
    }

    @Test
    void catchingCancellationAndReturningGivesAResult() {
        Task<String> t = loop.createTask(() -> {
            try {
                sleep(Duration.ofHours(1));
                return "slept";
            } catch (CancelledError e) {
                return "caught";
            }
        });
        loop.runUntilComplete(() -> {
            sleep(Duration.ZERO);
            t.cancel();
            return null;
        });
        assertEquals("caught", loop.runUntilComplete(t));
        assertFalse(t.isCancelled());
        assertEquals(1, t.cancelling(), "the request is still counted, as in asyncio");
    }

    @Test
    void taskThatCancelsItselfAndReturnsEndsCancelled() {
        Task<Integer> t = loop.createTask(() -> {
            currentTask().cancel("self");
            return 12;
        });
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertEquals("self", e.getMessage());
        assertTrue(t.isCancelled());
    }

    @Test
    void cancellingATaskCancelsTheFutureItAwaits() {
        Future<String> inner = loop.createFuture();
        Task<String> t = loop.createTask(() -> inner.await());
        loop.runUntilComplete(() -> {
            sleep(Duration.ZERO);
            assertSame(inner, t.awaiting());
            t.cancel("outer");
            return null;
        });
        assertTrue(inner.isCancelled());
        assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertTrue(t.isCancelled());
    }

    @Test
    void cancellingTheAwaitedFutureRaisesInTheTask() {
        Future<String> inner = loop.createFuture();
        List<String> seen = new ArrayList<>();
        Task<String> t = loop.createTask(() -> {
            try {
                return inner.await();
            } catch (CancelledError e) {
                seen.add("inner cancelled: " + e.getMessage());
                return "recovered";
            }
        });
        loop.runUntilComplete(() -> {
            sleep(Duration.ZERO);
            inner.cancel("by someone");
            return null;
        });
        assertEquals("recovered", loop.runUntilComplete(t));
        assertEquals(List.of("inner cancelled: by someone"), seen);
        assertEquals(0, t.cancelling(), "the task itself was never asked to cancel");
    }

    @Test
    void cancellationIsEdgeTriggeredAndCounted() {
        List<String> seen = new ArrayList<>();
        Task<String> t = loop.createTask(() -> {
            try {
                sleep(Duration.ofSeconds(10));
            } catch (CancelledError e) {
                seen.add("first");
            }
            sleep(Duration.ofSeconds(1));
            seen.add("second sleep completed");
            return "done";
        });
        loop.runUntilComplete(() -> {
            sleep(Duration.ofSeconds(1));
            assertTrue(t.cancel());
            assertTrue(t.cancel());
            assertEquals(2, t.cancelling());
            return null;
        });
        assertEquals("done", loop.runUntilComplete(t));
        assertEquals(List.of("first", "second sleep completed"), seen);
    }

    @Test
    void uncancelWithdrawsARequestNotYetDelivered() {
        Task<String> t = loop.createTask(() -> {
            sleep(Duration.ZERO);
            return "ran to the end";
        });
        loop.runUntilComplete(() -> {
            sleep(Duration.ZERO); // t is now suspended in its own sleep(0), its wakeup scheduled
            t.cancel();
            assertEquals(0, t.uncancel());
            return null;
        });
        assertEquals("ran to the end", loop.runUntilComplete(t));
    }

    @Test
    void cancelOnADoneTaskReturnsFalse() {
        Task<Integer> t = loop.createTask(() -> 1);
        loop.runUntilComplete(t);
        assertFalse(t.cancel());
        assertEquals(0, t.cancelling());
    }

    /** Port of test_tasks' test_tb_logger_not_called_after_cancel: the report checked at loop close. */
    @Test
    void cancelOnAFailedTaskReturnsFalseAndSilencesTheLostReport() {
        TypeError boom = new TypeError();
        loop.runUntilComplete(() -> {
            Task<Void> failing = createTask(() -> {
                throw boom;
            });
            sleep(0.05);
            assertTrue(failing.isDone());
            assertFalse(failing.cancel(), "a done task is not cancelled");
            assertFalse(failing.isCancelled());
            return null;
        });
        loop.close();
        assertTrue(reported.isEmpty(), reported.toString());
    }

    /**
     * The same when the tasks are collected: the cleaner reports the failed task that was not
     * cancelled (which shows it ran) and never the one that was, nor does the loop's close.
     */
    @Test
    void cancelOnAFailedTaskSilencesTheReportAtCollection() throws Exception {
        TypeError cancelled = new TypeError();
        IllegalArgumentException control = new IllegalArgumentException("not cancelled");
        loop.runUntilComplete(() -> {
            Task<?>[] failing = {
                createTask(() -> {
                    throw cancelled;
                }),
                createTask(() -> {
                    throw control;
                })
            };
            sleep(0.05);
            assertFalse(failing[0].cancel());
            failing[0] = null;
            failing[1] = null;
            return null;
        });
        for (int i = 0; i < 50 && reported.isEmpty(); i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(1, reported.size(), "the control task is reported by the cleaner, the cancelled one is not: " + reported);
        assertSame(control, reported.get(0).exception());
        loop.close();
        assertEquals(1, reported.size(), "nothing more at close: " + reported);
    }

    /** Stand-in for Python's TypeError in the ports above. */
    static final class TypeError extends RuntimeException {
    }

    /**
     * Two requests on a task suspended in sleep: the first one interrupts the sleep and its
     * {@link CancelledError} is what the coroutine and then the task's awaiter get (asyncio's {@code __step}
     * keeps the incoming CancelledError when {@code _must_cancel} is already set); the second one is
     * only counted.
     */
    @Test
    void secondCancelOfASleepingTaskKeepsTheFirstMessageAndErrorObject() {
        CancelledError[] inside = new CancelledError[1];
        Task<Void> sleeper = loop.createTask(() -> {
            try {
                sleep(Duration.ofHours(1));
            } catch (CancelledError e) {
                inside[0] = e;
                throw e;
            }
        });
        CancelledError outside = loop.runUntilComplete(() -> {
            sleep(Duration.ofSeconds(1));
            assertTrue(sleeper.cancel("m1"));
            assertTrue(sleeper.cancel("m2"));
            assertEquals(2, sleeper.cancelling());
            try {
                sleeper.await();
                return null;
            } catch (CancelledError e) {
                return e;
            }
        });
        assertEquals("m1", inside[0].getMessage());
        assertSame(inside[0], outside, "the awaiter gets the coroutine's own error object");
        assertTrue(sleeper.isCancelled());
        assertSame(inside[0], assertThrows(CancelledError.class, sleeper::result));
    }

    /** As above, for a task suspended on a future: the future's CancelledError ("m1") wins. */
    @Test
    void secondCancelOfATaskAwaitingAFutureKeepsTheFirstMessageAndErrorObject() {
        Future<String> inner = loop.createFuture();
        CancelledError[] inside = new CancelledError[1];
        Task<String> waiter = loop.createTask(() -> {
            try {
                return inner.await();
            } catch (CancelledError e) {
                inside[0] = e;
                throw e;
            }
        });
        CancelledError outside = loop.runUntilComplete(() -> {
            sleep(Duration.ZERO);
            assertSame(inner, waiter.awaiting());
            assertTrue(waiter.cancel("m1"));
            assertTrue(inner.isCancelled(), "the first request cancels the awaited future");
            assertTrue(waiter.cancel("m2"));
            try {
                waiter.await();
                return null;
            } catch (CancelledError e) {
                return e;
            }
        });
        assertEquals("m1", inside[0].getMessage());
        assertSame(assertThrows(CancelledError.class, inner::result), inside[0], "the awaited future's own error");
        assertSame(inside[0], outside);
        assertTrue(waiter.isCancelled());
    }

    /**
     * Port of test_tasks' test_cancel_both_task_and_inner_future, with messages: the future is
     * cancelled first, then the task; the coroutine gets the future's error, and the task ends cancelled.
     */
    @Test
    void cancellingBothTheTaskAndTheFutureItAwaitsRaisesTheFuturesError() {
        Future<Integer> f = loop.createFuture();
        String[] seen = new String[1];
        Task<Integer> t = loop.createTask(() -> {
            try {
                f.await();
            } catch (CancelledError e) {
                seen[0] = e.getMessage();
                throw e;
            }
            return 12;
        });
        loop.runUntilComplete(() -> {
            sleep(Duration.ZERO);
            assertTrue(f.cancel("future"));
            assertTrue(t.cancel("task"));
            return null;
        });
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertEquals("future", e.getMessage());
        assertEquals("future", seen[0]);
        assertTrue(t.isDone());
        assertTrue(f.isCancelled());
        assertTrue(t.isCancelled());
    }

    /** Requests that cannot cancel anything yet (before the first step) are merged: the latest message wins, as in asyncio. */
    @Test
    void twoCancelsBeforeTheFirstStepDeliverTheLatestMessage() {
        Task<Void> t = loop.createTask(() -> sleep(Duration.ofHours(1)));
        assertTrue(t.cancel("m1"));
        assertTrue(t.cancel("m2"));
        CancelledError e = assertThrows(CancelledError.class, () -> loop.runUntilComplete(t));
        assertEquals("m2", e.getMessage());
    }

    /** Port of test_tasks' test_task_set_methods: a task's outcome cannot be set from outside. */
    @Test
    void setResultAndSetExceptionOnATaskAreRefused() {
        Task<String> t = loop.createTask(() -> "ko");
        UnsupportedOperationException r = assertThrows(UnsupportedOperationException.class, () -> t.setResult("ok"));
        assertTrue(r.getMessage().contains("does not support setResult"), r.getMessage());
        assertTrue(r.getMessage().contains("createFuture"), "says what to do instead: " + r.getMessage());
        Future<String> asFuture = t;
        UnsupportedOperationException x = assertThrows(UnsupportedOperationException.class,
                () -> asFuture.setException(new IllegalArgumentException()));
        assertTrue(x.getMessage().contains("does not support setException"), x.getMessage());
        assertFalse(t.isDone());
        assertEquals("ko", loop.runUntilComplete(t));
        assertThrows(UnsupportedOperationException.class, () -> t.setResult("late"));
        assertEquals("ko", t.result());
    }

    @Test
    void aTaskCannotAwaitItself() {
        Task<?>[] self = new Task<?>[1];
        Task<Object> t = loop.createTask(() -> self[0].await());
        self[0] = t;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(t));
        assertTrue(e.getMessage().contains("itself"), e.getMessage());
    }

    @Test
    void currentTaskAndAllTasks() {
        loop.runUntilComplete(() -> {
            Task<?> me = currentTask();
            assertEquals(List.of(me), Asyncio.allTasks());
            Task<Void> other = createTask(() -> sleep(Duration.ofSeconds(1)));
            assertTrue(Asyncio.allTasks().containsAll(List.of(me, other)));
            Task<?>[] inCallback = new Task<?>[] {me};
            Asyncio.getRunningLoop().callSoon(() -> inCallback[0] = currentTask());
            other.await();
            assertNull(inCallback[0], "no current task inside a callback");
            assertEquals(List.of(me), Asyncio.allTasks());
            return null;
        });
    }

    @Test
    void unretrievedTaskExceptionIsReported() {
        IllegalArgumentException boom = new IllegalArgumentException("nobody looks");
        loop.runUntilComplete(() -> {
            createTask(() -> {
                throw boom;
            });
            sleep(Duration.ofSeconds(1));
            return null;
        });
        loop.close();
        assertEquals(1, reported.size(), reported.toString());
        assertSame(boom, reported.get(0).exception());
        assertTrue(reported.get(0).message().startsWith("Task exception was never retrieved"), reported.get(0).message());
    }

    @Test
    void pendingTaskAtCloseIsReportedAndUnwoundWithoutLeakingItsThread() throws InterruptedException {
        List<String> seen = new ArrayList<>();
        Task<Void> stuck = loop.createTask(() -> {
            try {
                sleep(Duration.ofDays(1));
            } finally {
                seen.add("finally ran");
            }
        }, "stuck");
        loop.runUntilComplete(() -> {
            sleep(Duration.ofSeconds(1));
            return null;
        });
        Thread thread = stuck.thread;
        assertTrue(thread.isAlive());
        loop.close();
        assertEquals(List.of("finally ran"), seen);
        assertTrue(stuck.isCancelled());
        thread.join(Duration.ofSeconds(10));
        assertFalse(thread.isAlive(), "the task's virtual thread ended");
        assertEquals(1, reported.size(), reported.toString());
        assertEquals("Task was destroyed but it is pending!", reported.get(0).message());
        assertSame(stuck, reported.get(0).future());
    }

    @Test
    void stackOfASuspendedTaskShowsWhereItWaits() {
        Task<Void> t = loop.createTask(() -> sleep(Duration.ofHours(1)));
        loop.runUntilComplete(() -> {
            sleep(Duration.ZERO);
            StackTraceElement[] stack = t.getStack();
            assertTrue(Arrays.stream(stack).anyMatch(f -> f.getMethodName().equals("sleep")), Arrays.toString(stack));
            t.cancel();
            return null;
        });
        assertArrayEquals(new StackTraceElement[0], t.getStack());
    }

    private static void waitInHelper() {
        sleep(Duration.ofHours(1));
    }

    @Test
    void getStackWithALimitAndPrintStackShowTheCoroutinesOwnFrames() {
        Task<Void> t = loop.createTask(TaskTest::waitInHelper, "waiter");
        loop.runUntilComplete(() -> {
            sleep(Duration.ZERO);
            StackTraceElement[] all = t.getStack(100);
            assertEquals("sleep", all[0].getMethodName(), "most recent first, from the coroutine's own call: " + Arrays.toString(all));
            assertEquals("waitInHelper", all[1].getMethodName(), Arrays.toString(all));
            assertTrue(Arrays.stream(all).noneMatch(f -> f.getClassName().equals(Turn.class.getName())),
                    "the loop's own frames are left out: " + Arrays.toString(all));
            assertEquals(1, t.getStack(1).length);
            assertEquals(0, t.getStack(0).length);
            assertThrows(IllegalArgumentException.class, () -> t.getStack(-1));
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            t.printStack(2, new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
            String printed = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(printed.startsWith("Stack for ") && printed.contains("waiter"), printed);
            assertEquals(3, printed.lines().count(), printed);
            t.cancel();
            return null;
        });
        Task<Void> failed = loop.createTask(() -> {
            throw new IllegalStateException("boom");
        });
        loop.runUntilComplete(() -> {
            Asyncio.wait(java.util.List.of(failed));
            return null;
        });
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        failed.printStack(10, new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        String printed = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("Traceback for ") && printed.contains("IllegalStateException: boom"), printed);
        failed.exception(); // retrieved: not reported as lost
    }

    @Test
    void eachTaskRunsInACopyOfItsCreatorsContext() {
        ContextVar<String> who = new ContextVar<>("who", "nobody");
        List<String> seen = new ArrayList<>();
        loop.runUntilComplete(() -> {
            who.set("parent");
            Task<Void> child = createTask(() -> {
                seen.add("child sees " + who.get());
                who.set("child");
            });
            child.await();
            seen.add("parent still " + who.get());
            return null;
        });
        assertEquals(List.of("child sees parent", "parent still parent"), seen);
    }

    @Test
    void createTaskOutsideALoopSaysSo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> createTask(() -> 1));
        assertTrue(e.getMessage().contains("no running event loop"), e.getMessage());
    }

    @Test
    void sleepOutsideACoroutineSaysSo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sleep(Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("must be called from a coroutine"), e.getMessage());
    }

    @Test
    void negativeSleepIsTreatedAsZeroAndNaNIsRefused() {
        loop.runUntilComplete(() -> {
            double before = Asyncio.getRunningLoop().time();
            sleep(Duration.ofSeconds(-5));
            assertEquals(before, Asyncio.getRunningLoop().time());
            assertThrows(IllegalArgumentException.class, () -> sleep(Double.NaN));
            return null;
        });
    }
}
