package dev.asyncio.rxjava3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.FutureCallGraph;
import dev.asyncio.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The call graph across the RxJava bridge: the task awaiting a coroutine source on another loop is its awaiter. */
class AwaitingTaskTest {
    private static FutureCallGraph insideSource() {
        return Asyncio.captureCallGraph();
    }

    private static FutureCallGraph awaitSingleOn(EventLoop other) {
        return RxCoroutines.await(RxCoroutines.single(other, AwaitingTaskTest::insideSource));
    }

    private static FutureCallGraph awaitFlowableOn(EventLoop other) {
        return RxCoroutines.awaitFirst(RxCoroutines.flowable(other, sink -> sink.emit(insideSource())));
    }

    private static void assertAwaitedBy(FutureCallGraph graph, Task<?> main, EventLoop other, String awaitingMethod) {
        Task<?> producer = assertInstanceOf(Task.class, graph.future());
        assertSame(other, producer.getLoop());
        assertEquals(1, graph.awaitedBy().size(), graph::toString);
        assertSame(main, graph.awaitedBy().get(0).future());
        List<String> frames = graph.awaitedBy().get(0).callStack().stream().map(e -> e.frame().getMethodName()).toList();
        assertTrue(frames.contains(awaitingMethod), frames::toString);
    }

    @Test
    void aSingleOrFlowableCoroutineOnAnotherLoopIsAwaitedByTheTaskThatAwaitsIt() {
        EventLoop other = RxCoroutines.defaultLoop(); // a loop on a thread of its own, not the one Asyncio.run makes
        Task<?>[] main = new Task<?>[1];
        FutureCallGraph[] graphs = Asyncio.run(() -> {
            main[0] = Asyncio.currentTask();
            return new FutureCallGraph[] {awaitSingleOn(other), awaitFlowableOn(other)};
        });
        assertAwaitedBy(graphs[0], main[0], other, "awaitSingleOn");
        assertAwaitedBy(graphs[1], main[0], other, "awaitFlowableOn");
    }

    @Test
    void aSubscriptionMadeOutsideAnAwaitRecordsNoAwaiter() {
        FutureCallGraph[] graph = new FutureCallGraph[1];
        Asyncio.run(() -> {
            dev.asyncio.Future<Void> done = Asyncio.getRunningLoop().createFuture();
            RxCoroutines.single(AwaitingTaskTest::insideSource).subscribe(g -> {
                graph[0] = g;
                done.setResult(null);
            });
            done.await();
        });
        assertEquals(List.of(), graph[0].awaitedBy());
    }
}
