package dev.asyncio;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@link EventLoop#runInExecutor} call: the function to run on an executor thread and the loop
 * future that receives its outcome.
 *
 * <p>The job counts as external work of the loop ({@link EventLoopEngine#beginExternalWork()}) from
 * submission until its outcome has been posted back with {@code callSoonThreadsafe} (or until it is
 * cancelled before it started), so an auto-jumping virtual clock never jumps past a job in flight.
 * Cancelling the loop future keeps a queued job from starting; a job already running cannot be
 * stopped (asyncio cannot stop a thread either) and its outcome is dropped.
 */
final class ExecutorJob<T> implements Runnable {
    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int CANCELLED = 2;

    private final EventLoop loop;
    private final Future<T> target;
    private final Callable<T> function;
    private final AtomicInteger state = new AtomicInteger(QUEUED);

    ExecutorJob(EventLoop loop, Future<T> target, Callable<T> function) {
        this.loop = loop;
        this.target = target;
        this.function = function;
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
            loop.callSoonThreadsafe(() -> deliver(v, e));
        } catch (IllegalStateException loopClosed) {
            // asyncio drops the outcome too: nobody is left to await it.
        } finally {
            // After the post, so the loop sees the delivery queued before it sees no work in flight.
            loop.engine.endExternalWork();
        }
    }

    /**
     * On the loop's turn, when the target was cancelled: a job that has not started never will.
     *
     * @return whether the job had not started (it is now cancelled), false if it runs or ran
     */
    boolean cancel() {
        if (state.compareAndSet(QUEUED, CANCELLED)) {
            loop.engine.endExternalWork();
            return true;
        }
        return false;
    }

    private void deliver(T value, Throwable error) {
        if (target.isDone()) {
            return; // cancelled meanwhile
        }
        if (error == null) {
            target.complete(value);
        } else {
            target.fail(error);
        }
    }

    @Override
    public String toString() {
        return "ExecutorJob[" + function + "]";
    }
}
