package dev.asyncio;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Conversions between loop {@link Future}s and the JDK's {@link CompletableFuture},
 * {@link CompletionStage} and {@link java.util.concurrent.Future}, with cancellation both ways
 * (asyncio's {@code wrap_future} and {@code _chain_future}).
 */
final class FutureBridge {
    private FutureBridge() {
    }

    // ---- loop future -> CompletableFuture ----

    static <T> CompletableFuture<T> toCompletableFuture(Future<T> future) {
        LoopCompletableFuture<T> cf = new LoopCompletableFuture<>(future);
        EventLoop loop = future.loop;
        if (future.isDone()) {
            copy(future, cf);
        } else if (loop.engine.turn.isOnTurnOrIdle() && linkedHere(future, cf)) {
            // linked on this thread
        } else {
            try {
                loop.callSoonThreadsafe(() -> link(future, cf));
            } catch (IllegalStateException closed) {
                if (future.isDone()) {
                    copy(future, cf);
                } else {
                    cf.completeExceptionally(new CancelledError("the event loop of " + future + " is closed"));
                }
            }
        }
        // CompletableFuture.cancel -> cancel the loop future, on the loop's turn.
        cf.whenComplete((v, e) -> {
            if (cf.isCancelled() && !future.isDone()) {
                cancelOnLoop(future);
            }
        });
        return cf;
    }

    /**
     * Links from the calling thread, which held the turn or saw the loop idle; {@code false} if another
     * thread started running the loop in between (addDoneCallback then refuses, having added nothing).
     */
    private static <T> boolean linkedHere(Future<T> future, CompletableFuture<T> cf) {
        try {
            link(future, cf);
            return true;
        } catch (IllegalStateException raced) {
            if (future.loop.engine.turn.isOnTurnOrIdle()) {
                throw raced;
            }
            return false;
        }
    }

    private static <T> void link(Future<T> future, CompletableFuture<T> cf) {
        if (future.isDone()) {
            copy(future, cf);
        } else {
            future.addDoneCallback(f -> copy(f, cf));
        }
    }

    private static <T> void copy(Future<T> future, CompletableFuture<T> cf) {
        if (future.isCancelled()) {
            // The same CancelledError: a CancellationException, so cf.isCancelled() holds and join() throws it.
            cf.completeExceptionally(future.cancelledError());
            return;
        }
        Throwable e = future.rawException();
        if (e != null) {
            future.markRetrieved();
            cf.completeExceptionally(e);
        } else {
            cf.complete(future.rawResult());
        }
    }

    private static void cancelOnLoop(Future<?> future) {
        EventLoop loop = future.loop;
        if (loop.engine.turn.isOnTurnOrIdle()) {
            future.cancel();
            return;
        }
        try {
            loop.callSoonThreadsafe(future::cancel);
        } catch (IllegalStateException closed) {
            // nothing runs on a closed loop any more
        }
    }

    // ---- CompletionStage / java.util.concurrent.Future -> loop future ----

    static <T> Future<T> wrap(EventLoop loop, CompletionStage<T> stage) {
        if (stage instanceof LoopCompletableFuture<T> mirror && mirror.source != null && mirror.source.loop == loop) {
            return mirror.source;
        }
        Future<T> target = new Future<>(loop);
        AtomicBoolean settled = new AtomicBoolean();
        // addDoneCallback checks the thread: register before counting the work, so a refusal leaks nothing.
        if (stage instanceof java.util.concurrent.Future<?> cancellable) {
            target.addDoneCallback(f -> {
                if (f.isCancelled()) {
                    cancellable.cancel(false);
                    endWork(loop, settled);
                }
            });
        } else {
            target.addDoneCallback(f -> {
                if (f.isCancelled()) {
                    endWork(loop, settled); // the loop no longer waits for the stage
                }
            });
        }
        loop.engine.beginExternalWork();
        stage.whenComplete((v, e) -> deliverFromAnyThread(loop, target, v, e, settled));
        return target;
    }

    static <T> Future<T> wrap(EventLoop loop, java.util.concurrent.Future<T> source) {
        if (source instanceof CompletionStage<?>) {
            @SuppressWarnings("unchecked")
            CompletionStage<T> stage = (CompletionStage<T>) source;
            return wrap(loop, stage);
        }
        Future<T> target = new Future<>(loop);
        AtomicBoolean settled = new AtomicBoolean();
        target.addDoneCallback(f -> {
            if (f.isCancelled()) {
                source.cancel(false);
                endWork(loop, settled);
            }
        });
        loop.engine.beginExternalWork();
        if (source.isDone()) {
            deliverOutcome(loop, target, source, settled);
        } else {
            // No completion callback exists on a plain Future: a virtual thread waits for it.
            loop.engine.offTurn.startHelper("asyncio-wrapFuture-waiter", () -> deliverOutcome(loop, target, source, settled));
        }
        return target;
    }

    private static <T> void deliverOutcome(EventLoop loop, Future<T> target, java.util.concurrent.Future<T> source,
                                           AtomicBoolean settled) {
        T value = null;
        Throwable error = null;
        boolean interrupted = false;
        while (true) {
            try {
                value = source.get();
                break;
            } catch (ExecutionException e) {
                error = e.getCause() != null ? e.getCause() : e;
                break;
            } catch (CancellationException e) {
                error = e;
                break;
            } catch (InterruptedException e) {
                if (loop.isClosed()) {
                    endWork(loop, settled); // the loop's close() ends its helpers: nobody is left to tell
                    return;
                }
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        deliverFromAnyThread(loop, target, value, error, settled);
    }

    private static <T> void deliverFromAnyThread(EventLoop loop, Future<T> target, T value, Throwable error,
                                                 AtomicBoolean settled) {
        if (loop.engine.isOnTurn()) {
            deliver(target, value, error);
            endWork(loop, settled);
            return;
        }
        try {
            loop.callSoonThreadsafe(() -> deliver(target, value, error));
        } catch (IllegalStateException closed) {
            // nobody is left to await it
        } finally {
            endWork(loop, settled);
        }
    }

    private static void endWork(EventLoop loop, AtomicBoolean settled) {
        if (settled.compareAndSet(false, true)) {
            loop.engine.endExternalWork();
        }
    }

    private static <T> void deliver(Future<T> target, T value, Throwable error) {
        if (target.isDone()) {
            return;
        }
        if (error == null) {
            target.complete(value);
            return;
        }
        Throwable cause = error;
        // A dependent stage stores its function's exception wrapped; hand on the original object.
        if (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof CancelledError ce) {
            target.finishCancelled(ce, ce.getMessage());
        } else if (cause instanceof CancellationException ce) {
            CancelledError translated = new CancelledError(ce.getMessage());
            translated.initCause(ce);
            target.finishCancelled(translated, ce.getMessage());
        } else {
            target.fail(cause);
        }
    }
}
