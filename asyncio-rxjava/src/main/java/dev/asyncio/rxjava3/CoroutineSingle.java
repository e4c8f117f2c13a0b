package dev.asyncio.rxjava3;

import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.core.SingleObserver;

/**
 * {@link RxCoroutines#single}: a cold {@link Single} that runs its coroutine as a new task for each
 * subscriber.
 */
final class CoroutineSingle<T> extends Single<T> {
    private final EventLoop loop;
    private final Coroutine<T> coroutine;

    CoroutineSingle(EventLoop loop, Coroutine<T> coroutine) {
        this.loop = loop;
        this.coroutine = coroutine;
    }

    @Override
    protected void subscribeActual(SingleObserver<? super T> observer) {
        Subscription<T> s = new Subscription<>(RxLoops.CHOICE.forSubscription(loop), coroutine, observer);
        observer.onSubscribe(s);
        s.start();
    }

    private static final class Subscription<T> extends CoroutineSubscription {
        private final Coroutine<T> coroutine;
        private final SingleObserver<? super T> observer;

        Subscription(EventLoop loop, Coroutine<T> coroutine, SingleObserver<? super T> observer) {
            super(loop);
            this.coroutine = coroutine;
            this.observer = observer;
        }

        @Override
        public Void call() {
            T value;
            try {
                value = coroutine.call();
            } catch (Throwable e) {
                return failed(e);
            }
            if (value == null) {
                return failed(new NullPointerException("the coroutine of RxCoroutines.single() returned null, "
                        + "which a Single cannot carry; use RxCoroutines.maybe() for a result that may be absent"));
            }
            if (tryTerminate()) {
                try {
                    observer.onSuccess(value);
                } catch (Throwable consumerBug) {
                    undeliverable(consumerBug);
                }
            }
            return null;
        }

        @Override
        void signalError(Throwable error) {
            observer.onError(error);
        }
    }
}
