package dev.asyncio.rxjava3;

import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.internal.InlineAwait;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.core.SingleObserver;

/**
 * {@link RxCoroutines#single}: a cold {@link Single} that runs its coroutine as a new task for each
 * subscriber. Awaited by a coroutine on the
 * loop it would run on, it makes no subscription: the coroutine runs in the awaiting task
 * ({@link InlineAwait}).
 */
final class CoroutineSingle<T> extends Single<T> {
    private final EventLoop loop;
    private final Coroutine<T> coroutine;

    CoroutineSingle(EventLoop loop, Coroutine<T> coroutine) {
        this.loop = loop;
        this.coroutine = coroutine;
    }

    /** Whether {@code await} from the calling thread runs the coroutine inline instead of subscribing. */
    boolean awaitsInline() {
        return InlineAwait.applies(loop);
    }

    /** Runs the coroutine in the calling task; what a subscriber would receive as an error is thrown. */
    T callInline() {
        return nonNull(InlineAwait.call(coroutine));
    }

    /** The coroutine's value, which a {@code Single} cannot carry as {@code null}. */
    static <T> T nonNull(T value) {
        if (value == null) {
            throw new NullPointerException("the coroutine of RxCoroutines.single() returned null, "
                    + "which a Single cannot carry; use RxCoroutines.maybe() for a result that may be absent");
        }
        return value;
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
                value = nonNull(coroutine.call());
            } catch (Throwable e) {
                return failed(e);
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
