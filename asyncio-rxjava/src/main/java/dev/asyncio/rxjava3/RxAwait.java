package dev.asyncio.rxjava3;

import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import io.reactivex.rxjava3.core.CompletableSource;
import io.reactivex.rxjava3.core.MaybeSource;
import io.reactivex.rxjava3.core.SingleSource;
import io.reactivex.rxjava3.observers.DisposableCompletableObserver;
import io.reactivex.rxjava3.observers.DisposableMaybeObserver;
import io.reactivex.rxjava3.observers.DisposableSingleObserver;
import java.util.Objects;

/** {@code await} for {@code Single}, {@code Maybe} and {@code Completable}, and their conversion to futures. */
final class RxAwait {
    private RxAwait() {
    }

    static <T> T await(SingleSource<T> source) {
        Objects.requireNonNull(source, "source");
        if (source instanceof CoroutineSingle<T> own && own.awaitsInline()) {
            return own.callInline();
        }
        EventLoop loop = LoopFutures.requireCoroutine("RxCoroutines.await(Single)");
        Future<T> result = loop.createFuture();
        SingleToFuture<T> observer = new SingleToFuture<>(loop, result);
        AwaitingTask.subscribe(() -> source.subscribe(observer));
        return LoopFutures.awaitOrDispose(result, observer);
    }

    static <T> T await(MaybeSource<T> source) {
        Objects.requireNonNull(source, "source");
        if (source instanceof CoroutineMaybe<T> own && own.awaitsInline()) {
            return own.callInline();
        }
        EventLoop loop = LoopFutures.requireCoroutine("RxCoroutines.await(Maybe)");
        Future<T> result = loop.createFuture();
        MaybeToFuture<T> observer = new MaybeToFuture<>(loop, result);
        AwaitingTask.subscribe(() -> source.subscribe(observer));
        return LoopFutures.awaitOrDispose(result, observer);
    }

    static void await(CompletableSource source) {
        Objects.requireNonNull(source, "source");
        if (source instanceof CoroutineCompletable own && own.awaitsInline()) {
            own.callInline();
            return;
        }
        EventLoop loop = LoopFutures.requireCoroutine("RxCoroutines.await(Completable)");
        Future<Void> result = loop.createFuture();
        CompletableToFuture observer = new CompletableToFuture(loop, result);
        AwaitingTask.subscribe(() -> source.subscribe(observer));
        LoopFutures.awaitOrDispose(result, observer);
    }

    static <T> Future<T> asFuture(SingleSource<T> source) {
        Objects.requireNonNull(source, "source");
        EventLoop loop = LoopFutures.requireTurn("RxCoroutines.asFuture(Single)");
        Future<T> result = loop.createFuture();
        SingleToFuture<T> observer = new SingleToFuture<>(loop, result);
        disposeOnCancel(result, observer);
        source.subscribe(observer);
        return result;
    }

    static <T> Future<T> asFuture(MaybeSource<T> source) {
        Objects.requireNonNull(source, "source");
        EventLoop loop = LoopFutures.requireTurn("RxCoroutines.asFuture(Maybe)");
        Future<T> result = loop.createFuture();
        MaybeToFuture<T> observer = new MaybeToFuture<>(loop, result);
        disposeOnCancel(result, observer);
        source.subscribe(observer);
        return result;
    }

    static Future<Void> asFuture(CompletableSource source) {
        Objects.requireNonNull(source, "source");
        EventLoop loop = LoopFutures.requireTurn("RxCoroutines.asFuture(Completable)");
        Future<Void> result = loop.createFuture();
        CompletableToFuture observer = new CompletableToFuture(loop, result);
        disposeOnCancel(result, observer);
        source.subscribe(observer);
        return result;
    }

    private static void disposeOnCancel(Future<?> future, io.reactivex.rxjava3.disposables.Disposable d) {
        future.addDoneCallback(f -> {
            if (f.isCancelled()) {
                d.dispose();
            }
        });
    }

    private static final class SingleToFuture<T> extends DisposableSingleObserver<T> {
        private final EventLoop loop;
        private final Future<T> future;

        SingleToFuture(EventLoop loop, Future<T> future) {
            this.loop = loop;
            this.future = future;
        }

        @Override
        public void onSuccess(T value) {
            if (value == null) {
                LoopFutures.nullSignal(loop, future, this, "the Single called onSuccess(null)");
                return;
            }
            LoopFutures.succeed(loop, future, value);
        }

        @Override
        public void onError(Throwable error) {
            if (error == null) {
                LoopFutures.nullSignal(loop, future, this, "the Single called onError(null)");
                return;
            }
            LoopFutures.fail(loop, future, error);
        }
    }

    private static final class MaybeToFuture<T> extends DisposableMaybeObserver<T> {
        private final EventLoop loop;
        private final Future<T> future;

        MaybeToFuture(EventLoop loop, Future<T> future) {
            this.loop = loop;
            this.future = future;
        }

        @Override
        public void onSuccess(T value) {
            if (value == null) {
                LoopFutures.nullSignal(loop, future, this, "the Maybe called onSuccess(null)");
                return;
            }
            LoopFutures.succeed(loop, future, value);
        }

        @Override
        public void onComplete() {
            LoopFutures.succeed(loop, future, null);
        }

        @Override
        public void onError(Throwable error) {
            if (error == null) {
                LoopFutures.nullSignal(loop, future, this, "the Maybe called onError(null)");
                return;
            }
            LoopFutures.fail(loop, future, error);
        }
    }

    private static final class CompletableToFuture extends DisposableCompletableObserver {
        private final EventLoop loop;
        private final Future<Void> future;

        CompletableToFuture(EventLoop loop, Future<Void> future) {
            this.loop = loop;
            this.future = future;
        }

        @Override
        public void onComplete() {
            LoopFutures.succeed(loop, future, null);
        }

        @Override
        public void onError(Throwable error) {
            if (error == null) {
                LoopFutures.nullSignal(loop, future, this, "the Completable called onError(null)");
                return;
            }
            LoopFutures.fail(loop, future, error);
        }
    }
}
