package dev.asyncio;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * asyncio 3.14's call graph ({@code capture_call_graph}, {@code format_call_graph}, awaited-by edges): the
 * cases of CPython's {@code test_asyncio/test_graph.py}, with Java frames.
 */
class CallGraphTest {
    /** What one capture saw: the graph walked as test_graph.py does, and the formatted text. */
    private record Captured(List<Object> walk, String text) {
    }

    private static Captured captured;
    private static Task<?> rootTask;

    /**
     * test_graph.py's {@code walk}: "T&lt;name&gt;" ("T&lt;anon&gt;" for a default "Task-N" name) or "F", the
     * frames of this class (lambdas and the library's own frames left out), and the awaiters sorted by name.
     */
    private static List<Object> walk(FutureCallGraph g) {
        String head = g.future() instanceof Task<?> t ? (t.getName().matches("Task-\\d+") ? "T<anon>" : "T<" + t.getName() + ">") : "F";
        List<String> frames = new ArrayList<>();
        for (FrameCallGraphEntry e : g.callStack()) {
            StackTraceElement f = e.frame();
            if (f.getClassName().equals(CallGraphTest.class.getName()) && !f.getMethodName().startsWith("lambda$")) {
                frames.add(f.getMethodName());
            }
        }
        List<List<Object>> awaiters = new ArrayList<>();
        for (FutureCallGraph a : g.awaitedBy()) {
            awaiters.add(walk(a));
        }
        awaiters.sort(Comparator.comparing(w -> (String) w.get(0)));
        return List.of(head, frames, awaiters);
    }

    private static Captured captureTestStack(Future<?> fut, int depth) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        // The same depth for both: unlike asyncio's print_call_graph, the facade's own frames never count.
        Asyncio.printCallGraph(fut, new PrintStream(buf, true, StandardCharsets.UTF_8), depth, null);
        FutureCallGraph graph = Asyncio.captureCallGraph(fut, depth, null);
        return new Captured(walk(graph), buf.toString(StandardCharsets.UTF_8));
    }

    private static Captured captureTestStack() {
        return captureTestStack(null, 2);
    }

    // ---- test_stack_tgroup ----

    private static void c5() {
        captured = captureTestStack(null, 2);
    }

    private static void c4() {
        sleep(0);
        c5();
    }

    private static void c3() {
        c4();
    }

    private static Void c2() {
        c3();
        return null;
    }

    private static void c1(Task<?> task) {
        task.await();
    }

    private static void tgroupMain() {
        TaskGroup.run(tg -> {
            Task<Void> task = tg.createTask(CallGraphTest::c2, "c2_root");
            tg.createTask(() -> c1(task), "sub_main_1");
            tg.createTask(() -> c1(task), "sub_main_2");
        });
    }

    @Test
    void taskGroupChildrenAreAwaitedByTheGroupsOwnerAndAwaitersOfATaskByTheirTasks() {
        Asyncio.run(() -> tgroupMain());
        List<Object> owner = List.of("T<anon>", List.of("tgroupMain"), List.of());
        assertEquals(List.of("T<c2_root>", List.of("c5", "c4", "c3", "c2"), List.of(
                owner,
                List.of("T<sub_main_1>", List.of("c1"), List.of(owner)),
                List.of("T<sub_main_2>", List.of("c1"), List.of(owner)))), captured.walk());
        assertTrue(captured.text().startsWith("* Task(name='c2_root', id=0x"), captured.text());
        assertTrue(captured.text().contains("\n  + Call stack:\n  |   at dev.asyncio.CallGraphTest.c5(CallGraphTest.java:"),
                captured.text());
        assertTrue(captured.text().contains("\n  + Awaited by:\n    * Task(name='"), captured.text());
        assertTrue(captured.text().contains("\n        * Task(name='Task-"), () -> "two levels deep: " + captured.text());
    }

    // ---- test_stack_gather, test_stack_shield, test_stack_timeout ----

    /** {@link #deep()}'s capture: {@code task} runs deep() from {@code coroutine}, awaited by one task in {@code awaiter}. */
    private static void assertDeepAwaitedByOne(String task, String coroutine, String awaiter) {
        assertEquals(List.of(task, List.of("captureTestStack", "deep", coroutine),
                List.of(List.of("T<anon>", List.of(awaiter), List.of()))), captured.walk());
    }

    private static void deep() {
        sleep(0);
        captured = captureTestStack(null, 1);
    }

    private static Void gatherC1() {
        sleep(0);
        deep();
        return null;
    }

    private static Void gatherC2() {
        sleep(0);
        return null;
    }

    @SuppressWarnings("unchecked")
    private static void gatherMain() {
        Asyncio.gather(CallGraphTest::gatherC1, CallGraphTest::gatherC2).await();
    }

    @Test
    void gatheredChildrenAreAwaitedByTheTaskThatGathers() {
        Asyncio.run(() -> gatherMain());
        assertDeepAwaitedByOne("T<anon>", "gatherC1", "gatherMain");
    }

    private static void shieldMain() {
        Asyncio.shield(CallGraphTest::gatherC1).await();
    }

    @Test
    void aShieldedTaskIsAwaitedByTheTaskThatShieldsIt() {
        Asyncio.run(() -> shieldMain());
        assertDeepAwaitedByOne("T<anon>", "gatherC1", "shieldMain");
    }

    private static Void timeoutC1() {
        Asyncio.timeout(Duration.ofSeconds(1), () -> {
            sleep(0);
            deep();
        });
        return null;
    }

    private static void timeoutMain() {
        Asyncio.shield(CallGraphTest::timeoutC1).await();
    }

    @Test
    void framesInsideATimeoutStayInTheTasksStack() {
        Asyncio.run(() -> timeoutMain());
        assertDeepAwaitedByOne("T<anon>", "timeoutC1", "timeoutMain");
    }

    private static void waitForMain() {
        Asyncio.waitFor(createTask(CallGraphTest::gatherC1, "limited"), Duration.ofSeconds(1));
    }

    @Test
    void aTaskAwaitedThroughWaitForIsAwaitedByTheWaitingTask() {
        Asyncio.run(() -> waitForMain());
        assertDeepAwaitedByOne("T<limited>", "gatherC1", "waitForMain");
    }

    // ---- test_stack_wait ----

    private static Void waitC2() {
        for (int i = 0; i < 3; i++) {
            sleep(0);
        }
        return null;
    }

    private static void waitMain(Task<Void> t1, Task<Void> t2) {
        while (!Asyncio.wait(List.of(t1, t2)).pending().isEmpty()) {
            sleep(0);
        }
    }

    @Test
    void tasksPassedToWaitAreAwaitedByTheWaitingTask() {
        Asyncio.run(() -> waitMain(createTask(CallGraphTest::timeoutC1), createTask(CallGraphTest::waitC2)));
        assertDeepAwaitedByOne("T<anon>", "timeoutC1", "waitMain");
    }

    // ---- test_stack_task ----

    private static Void taskC1() {
        deep();
        return null;
    }

    private static void taskC2() {
        createTask(CallGraphTest::taskC1, "there there").await();
    }

    private static void taskMain() {
        taskC2();
    }

    @Test
    void anAwaitedTaskIsAwaitedByTheAwaitingTaskWithItsFrames() {
        Asyncio.run(() -> taskMain());
        assertEquals(List.of("T<there there>", List.of("captureTestStack", "deep", "taskC1"),
                List.of(List.of("T<anon>", List.of("taskC2", "taskMain"), List.of()))), captured.walk());
    }

    // ---- test_stack_future ----

    private static void a2(Future<?> fut) {
        fut.await();
    }

    private static void a1(Future<?> fut) {
        a2(fut);
    }

    private static void b1(Future<?> fut) {
        fut.await();
    }

    private static void futureMain() {
        Future<Void> fut = Asyncio.getRunningLoop().createFuture();
        TaskGroup.run(g -> {
            g.createTask(() -> a1(fut), "task A");
            g.createTask(() -> b1(fut), "task B");
            for (int i = 0; i < 5; i++) {
                sleep(0);
            }
            captured = captureTestStack(fut, 1);
            fut.setResult(null);
        });
    }

    @Test
    void aPlainFutureHasNoFramesAndIsAwaitedByEveryTaskSuspendedOnIt() {
        Asyncio.run(() -> futureMain());
        List<Object> owner = List.of("T<anon>", List.of("captureTestStack", "futureMain"), List.of());
        assertEquals(List.of("F", List.of(), List.of(
                List.of("T<task A>", List.of("a2", "a1"), List.of(owner)),
                List.of("T<task B>", List.of("b1"), List.of(owner)))), captured.walk());
        assertTrue(captured.text().startsWith("* Future(id=0x"), captured.text());
    }

    // ---- the rest of the API ----

    @Test
    void futureAddToAwaitedByRecordsAnEdgeOnceAndDiscardRemovesIt() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<String> fut = loop.createFuture();
            Future<String> waiter = loop.createFuture();
            Asyncio.futureAddToAwaitedBy(fut, waiter);
            Asyncio.futureAddToAwaitedBy(fut, waiter);
            FutureCallGraph g = Asyncio.captureCallGraph(fut);
            assertSame(fut, g.future());
            assertEquals(1, g.awaitedBy().size());
            assertSame(waiter, g.awaitedBy().get(0).future());
            Asyncio.futureDiscardFromAwaitedBy(fut, waiter);
            Asyncio.futureDiscardFromAwaitedBy(fut, waiter);
            assertEquals(List.of(), Asyncio.captureCallGraph(fut).awaitedBy());
        });
    }

    @Test
    void aCycleOfRecordedEdgesIsCutWhereItClosesInsteadOfRecursingForever() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<String> a = loop.createFuture();
            Future<String> b = loop.createFuture();
            Asyncio.futureAddToAwaitedBy(a, b);
            Asyncio.futureAddToAwaitedBy(b, a);
            FutureCallGraph g = Asyncio.captureCallGraph(a);
            assertSame(b, g.awaitedBy().get(0).future());
            assertEquals(List.of(), g.awaitedBy().get(0).awaitedBy());
        });
    }

    private static void limitC3(AtomicReference<List<FutureCallGraph>> out) {
        out.set(List.of(
                Asyncio.captureCallGraph(null, 1, 2),
                Asyncio.captureCallGraph(null, 1, -2),
                Asyncio.captureCallGraph(null, 1, 0),
                Asyncio.captureCallGraph(null, 2, null)));
    }

    private static void limitC2(AtomicReference<List<FutureCallGraph>> out) {
        limitC3(out);
    }

    private static void limitC1(AtomicReference<List<FutureCallGraph>> out) {
        limitC2(out);
    }

    @Test
    void limitKeepsTheOldestFramesWhenPositiveTheNewestWhenNegativeAndDepthSkipsFrames() {
        AtomicReference<List<FutureCallGraph>> out = new AtomicReference<>();
        Asyncio.run(() -> limitC1(out));
        List<FutureCallGraph> graphs = out.get();
        FutureCallGraph oldest = graphs.get(0);
        assertEquals(2, oldest.callStack().size());
        assertTrue(oldest.callStack().get(1).frame().getMethodName().startsWith("lambda$"), oldest.toString());
        assertEquals("limitC1", oldest.callStack().get(0).frame().getMethodName());
        assertEquals(List.of("limitC3", "limitC2"),
                graphs.get(1).callStack().stream().map(e -> e.frame().getMethodName()).toList());
        assertEquals(List.of(), graphs.get(2).callStack());
        assertEquals("limitC2", graphs.get(3).callStack().get(0).frame().getMethodName());
    }

    @Test
    void withoutAFutureItNeedsARunningLoopAndInACallbackThereIsNoGraph() {
        assertThrows(IllegalStateException.class, Asyncio::captureCallGraph);
        assertThrows(IllegalArgumentException.class, () -> Asyncio.captureCallGraph(null, 0, null));
        AtomicReference<Object> inCallback = new AtomicReference<>("unset");
        Asyncio.run(() -> {
            Future<Void> done = Asyncio.getRunningLoop().createFuture();
            Asyncio.getRunningLoop().callSoon(() -> {
                inCallback.set(Asyncio.captureCallGraph());
                assertEquals("", Asyncio.formatCallGraph(null));
                done.setResult(null);
            });
            done.await();
        });
        assertNull(inCallback.get());
    }

    @Test
    void gatherTaskGroupAndShieldDropTheirEdgesWhenTheChildIsDone() {
        Asyncio.run(() -> {
            Task<Void> child = createTask(() -> sleep(0));
            Asyncio.gather(child).await();
            assertEquals(List.of(), Asyncio.captureCallGraph(child).awaitedBy());
            Task<Void> shielded = createTask(() -> sleep(0));
            Asyncio.shield(shielded).await();
            assertEquals(List.of(), Asyncio.captureCallGraph(shielded).awaitedBy());
            AtomicReference<Task<Void>> inGroup = new AtomicReference<>();
            TaskGroup.run(tg -> inGroup.set(tg.createTask(() -> sleep(0))));
            assertEquals(List.of(), Asyncio.captureCallGraph(inGroup.get()).awaitedBy());
            assertSame(null, child.awaitedBy);
        });
    }
}
