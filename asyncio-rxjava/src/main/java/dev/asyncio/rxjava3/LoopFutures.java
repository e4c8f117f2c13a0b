package dev.asyncio.rxjava3;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.ExceptionContext;
import dev.asyncio.Future;
import dev.asyncio.internal.LoopInternals;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;

/**
 * The loop side of awaiting an RxJava source: a {@link Future} of the running loop that RxJava signals
 * complete from whatever thread they arrive on (through {@link LoopDispatch}: directly on the loop's
 * turn, else one threadsafe call per terminal signal, never one per element).
 */
final class LoopFutures {
    private LoopFutures() {
    }

    /** The loop of the calling coroutine, or a clear error naming {@code operation}. */
    static EventLoop requireCoroutine(String operation) {
        EventLoop loop = LoopInternals.runningLoopOrNull();
        if (loop == null || Asyncio.currentTask() == null) {
            throw new IllegalStateException(operation + " suspends, so it must be called from a coroutine (a task "
                    + "running on an event loop), but thread '" + Thread.currentThread().getName() + "' runs "
                    + (loop == null ? "no event loop" : "a callback of " + loop) + "; start one with Asyncio.run(...) "
                    + "or loop.createTask(...), or convert the source with RxCoroutines.asFuture(...)");
        }
        return loop;
    }

    /** The loop whose turn the caller holds (a coroutine or a callback), or a clear error. */
    static EventLoop requireTurn(String operation) {
        EventLoop loop = LoopInternals.runningLoopOrNull();
        if (loop == null) {
            throw new IllegalStateException(operation + " must be called on an event loop's turn (from a coroutine "
                    + "or callback), but thread '" + Thread.currentThread().getName() + "' runs no event loop");
        }
        return loop;
    }

    static <T> void succeed(EventLoop loop, Future<T> future, T value) {
        LoopDispatch.runIfOpen(loop, () -> {
            if (!future.isDone()) {
                future.setResult(value);
            }
        });
    }

    /** Fails the future; an error that can no longer reach it goes to {@code RxJavaPlugins.onError}. */
    static void fail(EventLoop loop, Future<?> future, Throwable error) {
        try {
            LoopDispatch.run(loop, () -> {
                if (!future.isDone()) {
                    future.setException(error);
                } else if (!(error instanceof CancelledError)) {
                    RxJavaPlugins.onError(error);
                }
            });
        } catch (IllegalStateException loopClosed) {
            RxJavaPlugins.onError(error);
        }
    }

    /**
     * A source broke RxJava's protocol with a {@code null} value or error ({@code source} named the call):
     * the subscription is disposed, the future fails with a {@link NullPointerException} that says so,
     * and the loop's exception handler hears of it too, so a broken source never leaves a coroutine
     * waiting nor goes unnoticed.
     */
    static void nullSignal(EventLoop loop, Future<?> future, Disposable subscription, String call) {
        subscription.dispose();
        NullPointerException e = new NullPointerException(call + ": RxJava sources never signal null; "
                + "the source is broken (a Maybe or Optional expresses \"no value\")");
        LoopDispatch.runIfOpen(loop, () -> {
            loop.callExceptionHandler(new ExceptionContext(e.getMessage(), e, future, null));
            if (!future.isDone()) {
                future.setException(e);
            }
        });
    }

    /**
     * Suspends until {@code future} is done; if the awaiting task is cancelled meanwhile, disposes the
     * RxJava subscription before the {@link CancelledError} propagates.
     */
    static <T> T awaitOrDispose(Future<T> future, Disposable subscription) {
        try {
            return future.await();
        } catch (CancelledError e) {
            subscription.dispose();
            throw e;
        }
    }
}
