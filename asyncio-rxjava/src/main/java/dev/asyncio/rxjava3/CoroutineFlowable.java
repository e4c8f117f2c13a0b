package dev.asyncio.rxjava3;

import dev.asyncio.internal.LoopInternals;
import dev.asyncio.EventLoop;
import dev.asyncio.flow.CoroutinePublisher;
import dev.asyncio.flow.ProducerCoroutine;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.util.concurrent.Flow;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.Subscriber;

/**
 * {@link RxCoroutines#flowable}: a cold {@link Flowable} whose producer coroutine runs as a new task for
 * each subscriber, on the shared {@link CoroutinePublisher} machinery of {@code dev.asyncio.flow}
 * (suspending {@code emit} under the subscriber's demand). This class only picks the loop per
 * subscription and adapts Reactive Streams to {@code java.util.concurrent.Flow} with
 * {@link FlowAdapters}; on a {@link SchedulerClock} loop, requests and cancels are made synchronous
 * ({@link VirtualTimeSignals#fromLoop}).
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
        EventLoop target = RxLoops.CHOICE.forSubscription(loop);
        ProducerCoroutine<T> body = AwaitingTask.recorded(producer); // on the subscribing thread, which may await
        Flow.Subscriber<T> downstream = VirtualTimeSignals.fromLoop(target, FlowAdapters.toFlowSubscriber(narrow(subscriber)));
        if (SchedulerClock.lockstepOf(target) != null && !LoopInternals.isOnTurn(target)) {
            // Subscribe on the loop's turn and wait until the producer has run up to its first suspension,
            // so that a TestScheduler advance that follows finds its timers.
            try {
                LoopDispatch.run(target, () -> subscribeOnLoop(target, body, downstream));
            } catch (IllegalStateException loopClosed) {
                subscribeOnLoop(target, body, downstream);
            }
        } else {
            subscribeOnLoop(target, body, downstream);
        }
    }

    private static <T> void subscribeOnLoop(EventLoop target, ProducerCoroutine<T> body, Flow.Subscriber<T> downstream) {
        CoroutinePublisher.subscribe(target, null, body, downstream, RxJavaPlugins::onError);
    }

    /** A subscriber of a supertype takes {@code T}s as well; {@link FlowAdapters} wants the exact type. */
    @SuppressWarnings("unchecked")
    private static <T> Subscriber<T> narrow(Subscriber<? super T> subscriber) {
        return (Subscriber<T>) subscriber;
    }
}
