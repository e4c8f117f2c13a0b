package dev.asyncio.rxjava3;

import dev.asyncio.EventLoop;
import dev.asyncio.flow.CoroutinePublisher;
import dev.asyncio.flow.ProducerCoroutine;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.util.concurrent.Flow;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * {@link RxCoroutines#flowable}: a cold {@link Flowable} whose producer coroutine runs as a new task for
 * each subscriber, on the shared {@link CoroutinePublisher} machinery of {@code dev.asyncio.flow}
 * (suspending {@code emit} under the subscriber's demand). This class only picks the loop per
 * subscription, adapts Reactive Streams to {@code java.util.concurrent.Flow}, and routes requests and
 * cancels through {@link LoopDispatch} (synchronous on a {@link SchedulerClock} loop).
 */
final class CoroutineFlowable<T> extends Flowable<T> {
    private final EventLoop loop;
    private final ProducerCoroutine<T> producer;

    CoroutineFlowable(EventLoop loop, ProducerCoroutine<T> producer) {
        this.loop = loop;
        this.producer = producer;
    }

    @Override
    protected void subscribeActual(Subscriber<? super T> subscriber) {
        EventLoop target = LoopChoice.forSubscription(loop);
        Downstream<T> downstream = new Downstream<>(target, subscriber);
        if (target.getClock() instanceof SchedulerClock && !target.isOnTurn()) {
            // Subscribe on the loop's turn and wait until the producer has run up to its first suspension,
            // so that a TestScheduler advance that follows finds its timers.
            try {
                LoopDispatch.run(target, () -> subscribeOnLoop(target, downstream));
            } catch (IllegalStateException loopClosed) {
                subscribeOnLoop(target, downstream);
            }
        } else {
            subscribeOnLoop(target, downstream);
        }
    }

    private void subscribeOnLoop(EventLoop target, Downstream<T> downstream) {
        CoroutinePublisher.subscribe(target, null, producer, downstream, RxJavaPlugins::onError);
    }

    /** The RxJava subscriber seen as a {@code Flow.Subscriber}; its subscription reaches the loop via LoopDispatch. */
    private static final class Downstream<T> implements Flow.Subscriber<T> {
        private final EventLoop loop;
        private final Subscriber<? super T> actual;

        Downstream(EventLoop loop, Subscriber<? super T> actual) {
            this.loop = loop;
            this.actual = actual;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            actual.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                    LoopDispatch.runIfOpen(loop, () -> subscription.request(n));
                }

                @Override
                public void cancel() {
                    LoopDispatch.runIfOpen(loop, subscription::cancel);
                }
            });
        }

        @Override
        public void onNext(T item) {
            actual.onNext(item);
        }

        @Override
        public void onError(Throwable error) {
            actual.onError(error);
        }

        @Override
        public void onComplete() {
            actual.onComplete();
        }
    }
}
