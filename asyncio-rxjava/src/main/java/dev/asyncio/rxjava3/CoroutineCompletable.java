package dev.asyncio.rxjava3;

import dev.asyncio.EventLoop;
import dev.asyncio.VoidCoroutine;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.CompletableObserver;

/**
 * {@link RxCoroutines#completable}: a cold {@link Completable} that runs its coroutine as a new task for
 * each subscriber.
 */
final class CoroutineCompletable extends Completable {
    private final EventLoop loop;
    private final VoidCoroutine coroutine;

    CoroutineCompletable(EventLoop loop, VoidCoroutine coroutine) {
        this.loop = loop;
        this.coroutine = coroutine;
    }

    @Override
    protected void subscribeActual(CompletableObserver observer) {
        Subscription s = new Subscription(RxLoops.CHOICE.forSubscription(loop), coroutine, observer);
        observer.onSubscribe(s);
        s.start();
    }

    private static final class Subscription extends CoroutineSubscription {
        private final VoidCoroutine coroutine;
        private final CompletableObserver observer;

        Subscription(EventLoop loop, VoidCoroutine coroutine, CompletableObserver observer) {
            super(loop);
            this.coroutine = coroutine;
            this.observer = observer;
        }

        @Override
        public Void call() {
            try {
                coroutine.run();
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
        void signalError(Throwable error) {
            observer.onError(error);
        }
    }
}
