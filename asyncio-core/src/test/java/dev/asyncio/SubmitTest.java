package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link EventLoop#submit}: a task created from any thread. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubmitTest {
    private static final ContextVar<String> REQUEST = new ContextVar<>("request");

    @Test
    void fromAForeignThreadTheTaskRunsOnTheLoopInTheCallersContext() throws Exception {
        EventLoop loop = new EventLoop();
        Thread host = Thread.ofPlatform().start(loop::runForever);
        try {
            REQUEST.set("GET /items");
            Task<String> task = loop.submit(() -> {
                Asyncio.sleep(java.time.Duration.ZERO);
                return REQUEST.get() + " on " + (Asyncio.getRunningLoop() == loop);
            }, "handler");
            assertEquals("handler", task.getName());
            assertSame(loop, task.getLoop());
            CompletableFuture<String> result = task.toCompletableFuture();
            assertEquals("GET /items on true", result.get(30, TimeUnit.SECONDS));
        } finally {
            loop.stop();
            host.join();
            loop.close();
        }
    }

    @Test
    void cancellingTheCompletableFutureCancelsTheSubmittedTask() throws Exception {
        EventLoop loop = new EventLoop();
        Thread host = Thread.ofPlatform().start(loop::runForever);
        try {
            CompletableFuture<Boolean> cancelledInside = new CompletableFuture<>();
            CompletableFuture<Void> started = new CompletableFuture<>();
            Task<Void> task = loop.submit(() -> {
                started.complete(null);
                try {
                    loop.createFuture().await();
                } catch (CancelledError e) {
                    cancelledInside.complete(true);
                    throw e;
                }
                return null;
            });
            CompletableFuture<Void> observed = task.toCompletableFuture();
            started.get(30, TimeUnit.SECONDS);
            assertTrue(observed.cancel(false));
            assertTrue(cancelledInside.get(30, TimeUnit.SECONDS));
        } finally {
            loop.stop();
            host.join();
            loop.close();
        }
    }

    @Test
    void onTheTurnItIsCreateTaskAndBeforeARunTheTaskWaitsForIt() {
        EventLoop loop = new EventLoop();
        Task<Integer> early = loop.submit(() -> 1);
        assertFalse(early.isDone());
        int sum = loop.runUntilComplete(() -> {
            Task<Integer> inside = loop.submit(() -> 2);
            assertTrue(loop.allTasks().contains(inside), "on the turn the task is linked at once");
            return early.await() + inside.await();
        });
        assertEquals(3, sum);
        loop.close();
        assertThrows(IllegalStateException.class, () -> loop.submit(() -> 3));
    }
}
