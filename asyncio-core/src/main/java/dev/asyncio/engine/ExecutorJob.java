package dev.asyncio.engine;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * One {@code runInExecutor} call: the function to run on an executor thread and where its outcome goes
 * on the loop's turn (the API side completes the loop future there).
 *
 * <p>The job counts as external work of the loop ({@link LoopEngine#externalWork}) from submission until
 * its outcome has been posted back to the turn (or until it is cancelled before it started), so an
 * auto-jumping virtual clock never jumps past a job in flight. Cancelling keeps a queued job from starting;
 * a job already running cannot be stopped (asyncio cannot stop a thread either) and its outcome is dropped
 * by the receiver, which sees its future done.
 *
 * @param <T> the function's result type
 */
public final class ExecutorJob<T> implements Runnable {
    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int CANCELLED = 2;

    private final OffTurnThreads owner;
    private final Executor executor;
    private final Callable<T> function;
    private final BiConsumer<T, Throwable> outcome;
    private final AtomicInteger state = new AtomicInteger(QUEUED);

    ExecutorJob(OffTurnThreads owner, Executor executor, Callable<T> function,
            BiConsumer<T, Throwable> outcome) {
        this.owner = owner;
        this.executor = executor;
        this.function = function;
        this.outcome = outcome;
    }

    /** On the executor's thread. */
    @Override
    public void run() {
        if (!state.compareAndSet(QUEUED, RUNNING)) {
            return; // cancelled while queued; cancel() already ended the external work
        }
        T value = null;
        Throwable error = null;
        try {
            value = function.call();
        } catch (Throwable t) {
            error = t;
        }
        try {
            T v = value;
            Throwable e = error;
            owner.toTurn(() -> outcome.accept(v, e));
        } catch (IllegalStateException loopClosed) {
            // asyncio drops the outcome too: nobody is left to await it.
        } finally {
            // After the post, so the loop sees the delivery queued before it sees no work in flight.
            owner.jobEnded();
        }
    }

    /**
     * On the loop's turn, when the loop future was cancelled: a job that has not started never will, and
     * leaves a pool's queue now rather than when a worker reaches it.
     *
     * @return whether the job had not started (it is now cancelled), false if it runs or ran
     */
    public boolean cancel() {
        if (state.compareAndSet(QUEUED, CANCELLED)) {
            owner.jobEnded();
            if (executor instanceof ThreadPoolExecutor pool) {
                pool.remove(this);
            }
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return "ExecutorJob[" + function + "]";
    }
}
