package dev.asyncio;

import dev.asyncio.engine.DefaultExecutor;
import dev.asyncio.engine.Durations;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads that work for one {@link EventLoop} off its turn: the default executor of
 * {@link EventLoop#runInExecutor} and {@link Asyncio#toThread} (created on first use, shut down by
 * {@link EventLoop#shutdownDefaultExecutor} or at close), and the helper threads that wait on the loop's
 * behalf for something that only blocks (a plain {@link java.util.concurrent.Future}, an executor's
 * termination). Kept together because {@code close()} must leave none of them behind: helpers are
 * interrupted and joined, the default executor is shut down.
 *
 * <p>The executor fields are touched on the loop's turn; the helper set from any thread.
 */
final class OffTurnThreads {
    private static final Logger LOG = System.getLogger("dev.asyncio");

    private final EventLoop loop;
    /** Threads the loop started to wait for something on its behalf; interrupted and joined by close(). */
    private final Set<Thread> helpers = ConcurrentHashMap.newKeySet();
    /** What must end with the loop besides those threads (a child's pipes, say); run by close() first. */
    private final Set<Runnable> closeActions = ConcurrentHashMap.newKeySet();
    private ExecutorService defaultExecutor;
    private boolean executorShutdownCalled;

    OffTurnThreads(EventLoop loop) {
        this.loop = loop;
    }

    /** {@link EventLoop#runInExecutor}, once the loop checked the calling thread and that it is open. */
    <T> Future<T> runInExecutor(Executor executor, Callable<T> function) {
        Executor target = executor;
        if (target == null) {
            if (executorShutdownCalled) {
                throw new IllegalStateException("Executor shutdown has been called: this loop's default executor "
                        + "no longer takes work; pass an executor to runInExecutor(...) explicitly");
            }
            if (defaultExecutor == null) {
                defaultExecutor = DefaultExecutor.create();
            }
            target = defaultExecutor;
        }
        Future<T> future = new Future<>(loop);
        ExecutorJob<T> job = new ExecutorJob<>(loop, future, function);
        loop.engine.beginExternalWork();
        try {
            target.execute(job);
        } catch (RuntimeException | Error e) {
            loop.engine.endExternalWork();
            throw e;
        }
        Executor ran = target;
        future.addDoneCallback(f -> {
            if (f.isCancelled() && job.cancel() && ran instanceof ThreadPoolExecutor pool) {
                pool.remove(job); // free its place in the queue now, not when a worker reaches it
            }
        });
        return future;
    }

    /** {@link EventLoop#setDefaultExecutor}, once the loop checked the calling thread and that it is open. */
    void setDefaultExecutor(ExecutorService executor) {
        defaultExecutor = executor;
    }

    boolean hasDefaultExecutor() {
        return defaultExecutor != null;
    }

    /** {@link EventLoop#shutdownDefaultExecutor(Duration)}, on a coroutine of the loop. */
    void shutdownDefaultExecutor(Duration timeout) {
        executorShutdownCalled = true;
        ExecutorService executor = defaultExecutor;
        if (executor == null) {
            return;
        }
        executor.shutdown();
        Future<Boolean> joined = new Future<>(loop);
        long nanos = timeout == null ? Long.MAX_VALUE : Durations.toNanosSaturated(timeout);
        loop.engine.beginExternalWork();
        // A waiting thread, as asyncio's _do_shutdown: awaitTermination blocks, the loop must not.
        startHelper("asyncio-executor-shutdown", () -> {
            boolean terminated = false;
            try {
                terminated = executor.awaitTermination(nanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                boolean t = terminated;
                try {
                    loop.callSoonThreadsafe(() -> {
                        if (!joined.isDone()) {
                            joined.complete(t);
                        }
                    });
                } catch (IllegalStateException loopClosed) {
                    // nobody waits any more
                } finally {
                    loop.engine.endExternalWork();
                }
            }
        });
        if (!joined.await()) {
            LOG.log(Level.WARNING, "The executor did not finish joining its threads within " + timeout);
        }
    }

    /**
     * Starts a helper thread that waits for something on the loop's behalf (a plain
     * {@link java.util.concurrent.Future}, an executor's termination) and reports back with
     * {@link EventLoop#callSoonThreadsafe}. It runs on the JDK's default scheduler, never on a loop
     * carrier, and {@link EventLoop#close()} interrupts it: {@code body} must end when interrupted once
     * the loop is closed. Any thread.
     *
     * @param name the thread's name, for dumps
     * @param body what it does
     */
    void startHelper(String name, Runnable body) {
        Thread t = CarrierMode.helperThreads().name(name).unstarted(() -> {
            try {
                body.run();
            } finally {
                helpers.remove(Thread.currentThread());
            }
        });
        helpers.add(t);
        t.start();
    }

    /**
     * Registers {@code action} to run when the loop closes, before its helper threads are interrupted; any
     * thread. It runs on the closing thread and must not block.
     *
     * @return what unregisters it, for an owner that ended on its own first
     */
    Runnable atClose(Runnable action) {
        closeActions.add(action);
        return () -> closeActions.remove(action);
    }

    /**
     * At close: what registered {@link #atClose} ends, no thread started for this loop outlives it, and
     * the default executor is shut down without waiting for its threads.
     */
    void endAll() {
        for (Runnable action : closeActions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a close action of " + loop + " failed", e);
            }
        }
        closeActions.clear();
        endHelpers();
        ExecutorService executor = defaultExecutor;
        if (executor != null) {
            defaultExecutor = null;
            executor.shutdown();
        }
    }

    private void endHelpers() {
        for (Thread t : helpers) {
            t.interrupt();
        }
        boolean interrupted = false;
        for (Thread t : helpers) {
            try {
                // Helpers end as soon as they see the interrupt; the bound only guards against a bug in one.
                if (!t.join(Duration.ofSeconds(10))) {
                    LOG.log(Level.WARNING, "helper thread " + t + " of " + loop + " did not end at close");
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
