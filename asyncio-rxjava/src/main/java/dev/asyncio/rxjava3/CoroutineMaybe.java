package dev.asyncio.rxjava3;

import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.internal.InlineAwait;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.MaybeObserver;

/**
 * {@link RxCoroutines#maybe}: a cold {@link Maybe} that runs its coroutine as a new task for each
 * subscriber; a {@code null} result completes it empty. Awaited by a coroutine on the
 * loop it would run on, it makes no subscription: the coroutine runs in the awaiting task
 * ({@link InlineAwait}).
 */
final class CoroutineMaybe<T> extends Maybe<T> {
    private final EventLoop loop;
    private final Coroutine<T> coroutine;

    CoroutineMaybe(EventLoop loop, Coroutine<T> coroutine) {
        this.loop = loop;
        this.coroutine = coroutine;
    }

    /** Whether {@code await} from the calling thread runs the coroutine inline instead of subscribing. */
    boolean awaitsInline() {
        return InlineAwait.applies(loop);
    }

    /** Runs the coroutine in the calling task: its value, {@code null} for empty, or its exception thrown. */
    T callInline() {
        return InlineAwait.call(coroutine);
    }

    @Override
    protected void subscribeActual(MaybeObserver<? super T> observer) {
        Subscription<T> s = new Subscription<>(RxLoops.CHOICE.forSubscription(loop), coroutine, observer);
        observer.onSubscribe(s);
        s.start();
    }

    private static final class Subscription<T> extends CoroutineSubscription {
        private final Coroutine<T> coroutine;
        private final MaybeObserver<? super T> observer;

        Subscription(EventLoop loop, Coroutine<T> coroutine, MaybeObserver<? super T> observer) {
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
            if (tryTerminate()) {
                try {
                    if (value == null) {
                        observer.onComplete();
                    } else {
                        observer.onSuccess(value);
                    }
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
