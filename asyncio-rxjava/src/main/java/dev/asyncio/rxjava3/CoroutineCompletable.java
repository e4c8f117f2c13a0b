package dev.asyncio.rxjava3;

import dev.asyncio.EventLoop;
import dev.asyncio.internal.InlineAwait;
import dev.asyncio.VoidCoroutine;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.CompletableObserver;

/**
 * {@link RxCoroutines#completable}: a cold {@link Completable} that runs its coroutine as a new task for
 * each subscriber. Awaited by a coroutine on the
 * loop it would run on, it makes no subscription: the coroutine runs in the awaiting task
 * ({@link InlineAwait}).
 */
final class CoroutineCompletable extends Completable {
    private final EventLoop loop;
    private final VoidCoroutine coroutine;

    CoroutineCompletable(EventLoop loop, VoidCoroutine coroutine) {
        this.loop = loop;
        this.coroutine = coroutine;
    }

    /** Whether {@code await} from the calling thread runs the coroutine inline instead of subscribing. */
    boolean awaitsInline() {
        return InlineAwait.applies(loop);
    }

    /** Runs the coroutine in the calling task; its exception is thrown. */
    void callInline() {
        InlineAwait.call(coroutine.asCoroutine());
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
