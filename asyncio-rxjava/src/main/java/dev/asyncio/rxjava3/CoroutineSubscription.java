package dev.asyncio.rxjava3;

import dev.asyncio.CancelledError;
import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One subscription to a coroutine builder: the task that runs the coroutine for this subscriber and
 * the {@link Disposable} the subscriber holds.
 *
 * <p>Terminal signal and dispose race through one state word: whichever leaves {@link #ACTIVE} first
 * wins. A dispose that wins cancels the task (its {@link CancelledError} is not reported); an outcome
 * that arrives after a dispose is dropped, except a real error, which goes to
 * {@link RxJavaPlugins#onError} (RxJava's rule for undeliverable errors). The task itself always ends
 * without an exception for the loop to report: the subscriber or {@code RxJavaPlugins} got it.
 */
abstract class CoroutineSubscription implements Disposable, Coroutine<Void> {
    static final int ACTIVE = 0;
    static final int TERMINATED = 1;
    static final int DISPOSED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(CoroutineSubscription.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final EventLoop loop;
    private volatile int state;
    /** The task running {@link #call()}; touched on the loop's turn only. */
    private Task<Void> task;
    /** The task that subscribed to await this source, if any (asyncio 3.14's call graph, see {@link AwaitingTask}). */
    private final Task<?> awaiter = AwaitingTask.current();

    CoroutineSubscription(EventLoop loop) {
        this.loop = loop;
    }

    /** Starts the task on the loop, now if the subscriber is on the loop's turn. Call after onSubscribe. */
    final void start() {
        try {
            LoopDispatch.run(loop, this::createTask);
        } catch (RuntimeException loopClosed) {
            terminateWithError(loopClosed);
        }
    }

    private void createTask() {
        if (state != ACTIVE) {
            return;
        }
        try {
            task = loop.createTask(this);
            AwaitingTask.record(task, awaiter);
        } catch (RuntimeException loopClosing) {
            terminateWithError(loopClosing);
        }
    }

    /** The subscriber's terminal error signal, called at most once. */
    abstract void signalError(Throwable error);

    /** @return whether the caller won the right to send the terminal signal */
    final boolean tryTerminate() {
        return state == ACTIVE && STATE.compareAndSet(this, ACTIVE, TERMINATED);
    }

    final int state() {
        return state;
    }

    /**
     * What the coroutine's failure becomes: the subscriber's {@code onError} if it is still listening,
     * else {@code RxJavaPlugins.onError} (cancellation excepted). A {@link CancelledError} is rethrown
     * so that the task ends cancelled, as its coroutine did.
     *
     * @return {@code null}, for {@code return failed(e)} in {@link #call()}
     */
    final Void failed(Throwable error) {
        terminateWithError(error);
        if (error instanceof CancelledError cancelled) {
            throw cancelled;
        }
        return null;
    }

    private void terminateWithError(Throwable error) {
        if (tryTerminate()) {
            try {
                signalError(error);
            } catch (Throwable consumerBug) {
                undeliverable(consumerBug);
            }
        } else if (!(error instanceof CancelledError)) {
            undeliverable(error);
        }
    }

    /** RxJava's sink for errors no subscriber can take. */
    static void undeliverable(Throwable error) {
        RxJavaPlugins.onError(error);
    }

    /** Disposes, and cancels the task, from inside a signal that failed (on the loop's turn). */
    final boolean disposeOnTurn() {
        if (state == ACTIVE && STATE.compareAndSet(this, ACTIVE, DISPOSED)) {
            cancelTask();
            return true;
        }
        return false;
    }

    /** Cancels the coroutine's task (from any thread); the subscriber hears nothing more. */
    @Override
    public final void dispose() {
        if (state == ACTIVE && STATE.compareAndSet(this, ACTIVE, DISPOSED)) {
            LoopDispatch.runIfOpen(loop, this::cancelTask);
        }
    }

    private void cancelTask() {
        Task<Void> t = task;
        if (t != null) {
            t.cancel();
        }
    }

    /** @return whether the subscription was disposed or has delivered its terminal signal */
    @Override
    public final boolean isDisposed() {
        return state != ACTIVE;
    }
}
