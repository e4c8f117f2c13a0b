package dev.asyncio.reactor;

import static dev.asyncio.reactor.ReactorCoroutines.await;
import static dev.asyncio.reactor.ReactorCoroutines.mono;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.FutureCallGraph;
import dev.asyncio.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The call graph across the bridge: a task awaiting a {@code mono} coroutine on another loop is its awaiter. */
class AwaitingTaskTest {
    private static FutureCallGraph insideMono() {
        return Asyncio.captureCallGraph();
    }

    private static FutureCallGraph awaitMonoOn(EventLoop other) {
        return await(mono(other, AwaitingTaskTest::insideMono));
    }

    @Test
    void aMonoCoroutineOnAnotherLoopIsAwaitedByTheTaskThatAwaitsIt() {
        EventLoop other = ReactorCoroutines.defaultLoop(); // a loop on a thread of its own, not the one Asyncio.run makes
        Task<?>[] main = new Task<?>[1];
        FutureCallGraph graph = Asyncio.run(() -> {
            main[0] = Asyncio.currentTask();
            return awaitMonoOn(other);
        });
        Task<?> producer = assertInstanceOf(Task.class, graph.future());
        assertSame(other, producer.getLoop());
        assertEquals("insideMono", graph.callStack().get(0).frame().getMethodName());
        assertEquals(1, graph.awaitedBy().size(), graph::toString);
        FutureCallGraph awaiter = graph.awaitedBy().get(0);
        assertSame(main[0], awaiter.future());
        assertNotSame(other, awaiter.future().getLoop());
        List<String> frames = awaiter.callStack().stream().map(e -> e.frame().getMethodName()).toList();
        assertTrue(frames.contains("awaitMonoOn"), frames::toString);
        String text = Asyncio.formatCallGraph(producer);
        assertTrue(text.startsWith("* Task(name='" + producer.getName() + "'"), text);
    }

    @Test
    void theEdgeEndsWithTheProducersBody() {
        FutureCallGraph[] after = new FutureCallGraph[1];
        Asyncio.run(() -> {
            Task<?>[] producer = new Task<?>[1];
            await(mono(() -> {
                producer[0] = Asyncio.currentTask();
                return "v";
            }));
            after[0] = Asyncio.captureCallGraph(producer[0]);
        });
        assertEquals(List.of(), after[0].awaitedBy());
    }
}
