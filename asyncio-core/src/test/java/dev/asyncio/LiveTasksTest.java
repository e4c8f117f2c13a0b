package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop's list of pending tasks on its own. */
class LiveTasksTest {
    private final EventLoop loop = new EventLoop(new VirtualClock());
    private final LiveTasks tasks = new LiveTasks();

    @AfterEach
    void close() {
        loop.close();
    }

    private Task<Void> task(String name) {
        return new Task<>(loop, () -> null, name, new Context());
    }

    @Test
    void linkedTasksAreListedNewestFirstAndUnlinkedOnesLeave() {
        Task<Void> a = task("a");
        Task<Void> b = task("b");
        Task<Void> c = task("c");
        tasks.link(a);
        tasks.link(b);
        tasks.link(c);
        assertEquals(List.of(c, b, a), tasks.all());
        tasks.unlink(b);
        assertEquals(List.of(c, a), tasks.all());
        assertNull(b.prevLive);
        assertNull(b.nextLive);
        tasks.unlink(c);
        tasks.unlink(a);
        assertEquals(List.of(), tasks.all());
        assertEquals(List.of(), tasks.allUnsafe());
    }

    @Test
    void unlinkingATaskThatIsNotLinkedChangesNothing() {
        Task<Void> linked = task("linked");
        Task<Void> stranger = task("stranger");
        tasks.link(linked);
        tasks.unlink(stranger);
        tasks.unlink(stranger);
        assertEquals(List.of(linked), tasks.all());
        assertEquals(List.of(linked), tasks.allUnsafe());
    }
}
