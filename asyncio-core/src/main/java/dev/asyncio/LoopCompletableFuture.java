package dev.asyncio;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link CompletableFuture} this library hands out ({@link Future#toCompletableFuture()},
 * {@link EventLoop#runCoroutineThreadsafe}): it refuses a blocking {@code get()}/{@code join()} while
 * it is pending on an event loop's turn, where blocking would stop the loop (and with it, often, the
 * very work that would complete the future: a deadlock). Once done, {@code get()}/{@code join()}
 * return at once anywhere, so the common {@code allOf(a, b).thenApply(v -> a.join())} idiom works.
 * Stages derived from it ({@code thenApply}, …) are of this class too.
 */
final class LoopCompletableFuture<T> extends CompletableFuture<T> {
    /** The loop future this one mirrors, or {@code null}; lets {@code wrapFuture} give it back as is. */
    final Future<T> source;

    LoopCompletableFuture(Future<T> source) {
        this.source = source;
    }

    /** @throws IllegalStateException if pending and called on an event loop's turn */
    @Override
    public T get() throws InterruptedException, ExecutionException {
        refuseBlockingOnTurn("get()");
        return super.get();
    }

    /** @throws IllegalStateException if pending and called on an event loop's turn */
    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        refuseBlockingOnTurn("get(timeout)");
        return super.get(timeout, unit);
    }

    /** @throws IllegalStateException if pending and called on an event loop's turn */
    @Override
    public T join() {
        refuseBlockingOnTurn("join()");
        return super.join();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new LoopCompletableFuture<>(null);
    }

    private void refuseBlockingOnTurn(String method) {
        if (isDone()) {
            return;
        }
        EventLoop loop = EventLoopEngine.runningLoop();
        if (loop != null) {
            Task<?> task = loop.engine.currentTask;
            throw new IllegalStateException("CompletableFuture." + method + " would block the event loop: it was called on "
                    + (task != null ? "the turn of task '" + task.getName() + "'" : "a callback") + " of " + loop
                    + " while the future is pending, and nothing else on the loop can run (or complete it) meanwhile. "
                    + (task != null ? "Suspend instead: Asyncio.await(future) returns its value or throws its exception."
                            : "In a callback, register a continuation instead (whenComplete/thenAccept), "
                                    + "or await it from a coroutine with Asyncio.await(future)."));
        }
    }
}
