package dev.asyncio.rxjava3;

import dev.asyncio.EventLoop;
import java.util.concurrent.Flow;

/**
 * Makes the signals to a {@code dev.asyncio.flow} subscriber synchronous when its loop runs on a
 * {@link SchedulerClock}: each signal from another thread is handed over with {@link LoopDispatch},
 * which waits until the loop is idle again, so that {@code testScheduler.advanceTimeBy} returns only
 * after the awaiting coroutine has seen what the advance produced. On any other loop the subscriber is
 * used as it is (it batches foreign signals into one threadsafe call per burst).
 */
final class VirtualTimeSignals<T> implements Flow.Subscriber<T> {
    private final EventLoop loop;
    private final Flow.Subscriber<T> inner;

    private VirtualTimeSignals(EventLoop loop, Flow.Subscriber<T> inner) {
        this.loop = loop;
        this.inner = inner;
    }

    static <T> Flow.Subscriber<T> wrap(EventLoop loop, Flow.Subscriber<T> inner) {
        return loop.getClock() instanceof SchedulerClock ? new VirtualTimeSignals<>(loop, inner) : inner;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        LoopDispatch.runIfOpen(loop, () -> inner.onSubscribe(subscription));
    }

    @Override
    public void onNext(T item) {
        LoopDispatch.runIfOpen(loop, () -> inner.onNext(item));
    }

    @Override
    public void onError(Throwable error) {
        LoopDispatch.runIfOpen(loop, () -> inner.onError(error));
    }

    @Override
    public void onComplete() {
        LoopDispatch.runIfOpen(loop, inner::onComplete);
    }
}
