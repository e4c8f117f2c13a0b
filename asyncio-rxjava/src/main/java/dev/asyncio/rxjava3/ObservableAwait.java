package dev.asyncio.rxjava3;

import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import io.reactivex.rxjava3.core.ObservableSource;
import io.reactivex.rxjava3.observers.DisposableObserver;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * {@code awaitFirst}, {@code awaitLast} and {@code awaitSingle} on an {@link ObservableSource}. The
 * elements are looked at on the thread that emits them; only the outcome crosses to the loop, once.
 */
final class ObservableAwait {
    enum Mode {
        FIRST("awaitFirst"), LAST("awaitLast"), SINGLE("awaitSingle");

        final String operation;

        Mode(String operation) {
            this.operation = operation;
        }
    }

    private ObservableAwait() {
    }

    static <T> T await(ObservableSource<T> source, Mode mode) {
        Objects.requireNonNull(source, "source");
        EventLoop loop = LoopFutures.requireCoroutine("RxCoroutines." + mode.operation + "(Observable)");
        Future<T> result = loop.createFuture();
        OneValue<T> observer = new OneValue<>(loop, result, mode);
        AwaitingTask.subscribe(() -> source.subscribe(observer));
        return LoopFutures.awaitOrDispose(result, observer);
    }

    /** Signals come serialized (RxJava's contract), so the plain fields need no synchronization. */
    private static final class OneValue<T> extends DisposableObserver<T> {
        private final EventLoop loop;
        private final Future<T> future;
        private final Mode mode;
        private T value;
        private boolean seen;
        private boolean done;

        OneValue(EventLoop loop, Future<T> future, Mode mode) {
            this.loop = loop;
            this.future = future;
            this.mode = mode;
        }

        @Override
        public void onNext(T next) {
            if (done) {
                return;
            }
            if (next == null) {
                done = true;
                LoopFutures.nullSignal(loop, future, this, "the Observable called onNext(null)");
                return;
            }
            switch (mode) {
                case FIRST -> {
                    done = true;
                    dispose();
                    LoopFutures.succeed(loop, future, next);
                }
                case LAST -> {
                    value = next;
                    seen = true;
                }
                case SINGLE -> {
                    if (seen) {
                        done = true;
                        dispose();
                        LoopFutures.fail(loop, future, new IllegalArgumentException(
                                "awaitSingle(): the Observable emitted more than one element"));
                    } else {
                        value = next;
                        seen = true;
                    }
                }
            }
        }

        @Override
        public void onError(Throwable error) {
            if (error == null) {
                if (!done) {
                    done = true;
                    LoopFutures.nullSignal(loop, future, this, "the Observable called onError(null)");
                }
                return;
            }
            if (done) {
                RxJavaPlugins.onError(error);
                return;
            }
            done = true;
            LoopFutures.fail(loop, future, error);
        }

        @Override
        public void onComplete() {
            if (done) {
                return;
            }
            done = true;
            if (seen) {
                LoopFutures.succeed(loop, future, value);
            } else {
                LoopFutures.fail(loop, future, new NoSuchElementException(
                        mode.operation + "(): the Observable completed without emitting any element"));
            }
        }
    }
}
