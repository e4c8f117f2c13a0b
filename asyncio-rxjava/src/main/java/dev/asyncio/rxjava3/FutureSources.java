package dev.asyncio.rxjava3;

import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.CompletableEmitter;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.MaybeEmitter;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.core.SingleEmitter;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link Future} (or {@link dev.asyncio.Task}) seen as a {@code Single}, {@code Maybe} or
 * {@code Completable}: each subscriber registers a done callback on the future's loop and hears its
 * outcome. The future is hot and may have other awaiters, so disposing only removes the callback; it
 * does not cancel the future.
 */
final class FutureSources {
    private FutureSources() {
    }

    static <T> Single<T> asSingle(Future<T> future) {
        Objects.requireNonNull(future, "future");
        return Single.create(emitter -> whenDone(future, emitter::setCancellable, emitter::isDisposed,
                f -> deliver(f, emitter)));
    }

    static <T> Maybe<T> asMaybe(Future<T> future) {
        Objects.requireNonNull(future, "future");
        return Maybe.create(emitter -> whenDone(future, emitter::setCancellable, emitter::isDisposed,
                f -> deliver(f, emitter)));
    }

    static Completable asCompletable(Future<?> future) {
        Objects.requireNonNull(future, "future");
        return Completable.create(emitter -> whenDone(future, emitter::setCancellable, emitter::isDisposed,
                f -> deliver(f, emitter)));
    }

    private interface CancellableSetter {
        void set(io.reactivex.rxjava3.functions.Cancellable c);
    }

    private interface DisposedCheck {
        boolean isDisposed();
    }

    /** On the future's loop: deliver now if done, else when done; a dispose removes the callback. */
    private static <F extends Future<?>> void whenDone(F future, CancellableSetter onDispose, DisposedCheck disposed,
                                                      Consumer<F> deliver) {
        EventLoop loop = future.getLoop();
        LoopDispatch.run(loop, () -> {
            if (disposed.isDisposed()) {
                return;
            }
            if (future.isDone()) {
                deliver.accept(future);
                return;
            }
            Consumer<Future<?>> callback = f -> deliver.accept(future);
            future.addDoneCallback(callback);
            onDispose.set(() -> LoopDispatch.runIfOpen(loop, () -> future.removeDoneCallback(callback)));
        });
    }

    private static <T> void deliver(Future<T> f, SingleEmitter<T> emitter) {
        T value;
        try {
            value = f.result();
        } catch (Throwable e) {
            error(e, emitter::onError, emitter::tryOnError);
            return;
        }
        if (value == null) {
            emitter.onError(new NullPointerException("the future passed to RxCoroutines.asSingle() completed with "
                    + "null, which a Single cannot carry; use RxCoroutines.asMaybe() for a result that may be absent"));
        } else {
            emitter.onSuccess(value);
        }
    }

    private static <T> void deliver(Future<T> f, MaybeEmitter<T> emitter) {
        T value;
        try {
            value = f.result();
        } catch (Throwable e) {
            error(e, emitter::onError, emitter::tryOnError);
            return;
        }
        if (value == null) {
            emitter.onComplete();
        } else {
            emitter.onSuccess(value);
        }
    }

    private static void deliver(Future<?> f, CompletableEmitter emitter) {
        try {
            f.result();
        } catch (Throwable e) {
            error(e, emitter::onError, emitter::tryOnError);
            return;
        }
        emitter.onComplete();
    }

    /** A cancelled future after a dispose is nobody's concern; a real error still reaches RxJavaPlugins. */
    private static void error(Throwable e, Consumer<Throwable> onError, java.util.function.Predicate<Throwable> tryOnError) {
        if (e instanceof CancelledError) {
            tryOnError.test(e);
        } else {
            onError.accept(e);
        }
    }
}
