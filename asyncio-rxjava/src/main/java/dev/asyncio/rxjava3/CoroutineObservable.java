package dev.asyncio.rxjava3;

import dev.asyncio.internal.LoopInternals;
import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Observer;

/**
 * {@link RxCoroutines#observable}: a cold {@link Observable} that runs its producer coroutine as a new
 * task for each subscriber.
 */
final class CoroutineObservable<T> extends Observable<T> {
    private final EventLoop loop;
    private final ObservableProducer<T> producer;

    CoroutineObservable(EventLoop loop, ObservableProducer<T> producer) {
        this.loop = loop;
        this.producer = producer;
    }

    @Override
    protected void subscribeActual(Observer<? super T> observer) {
        Subscription<T> s = new Subscription<>(RxLoops.CHOICE.forSubscription(loop), producer, observer);
        observer.onSubscribe(s);
        s.start();
    }

    private static final class Subscription<T> extends CoroutineSubscription implements ObservableSink<T> {
        private final ObservableProducer<T> producer;
        private final Observer<? super T> observer;

        Subscription(EventLoop loop, ObservableProducer<T> producer, Observer<? super T> observer) {
            super(loop);
            this.producer = producer;
            this.observer = observer;
        }

        @Override
        public Void call() {
            try {
                producer.produce(this);
            } catch (Throwable e) {
                return failed(e);
            }
            if (tryTerminate()) {
                try {
                    observer.onComplete();
                } catch (Throwable consumerBug) {
                    undeliverable(consumerBug);
                }
            }
            return null;
        }

        @Override
        public void emit(T value) {
            if (value == null) {
                throw new NullPointerException("ObservableSink.emit(null): RxJava carries no null elements");
            }
            if (!LoopInternals.isOnTurn(loop)) {
                throw new IllegalStateException("ObservableSink.emit() was called from thread '"
                        + Thread.currentThread().getName() + "', which does not hold the turn of " + loop
                        + "; emit from the observable() coroutine or another coroutine or callback of its loop "
                        + "(hand values over with loop.callSoonThreadsafe)");
            }
            int s = state();
            if (s == DISPOSED) {
                throw new CancelledError("the Observable's subscriber disposed its subscription");
            }
            if (s == TERMINATED) {
                throw new IllegalStateException("ObservableSink.emit() after the observable() coroutine ended");
            }
            try {
                observer.onNext(value);
            } catch (RuntimeException | Error consumerBug) {
                // A throwing onNext counts as a cancelled subscriber (Reactive Streams rule 2.13): no more
                // signals; the coroutine sees the exception here and is cancelled at its next suspension.
                disposeOnTurn();
                throw consumerBug;
            }
        }

        @Override
        void signalError(Throwable error) {
            observer.onError(error);
        }
    }
}
