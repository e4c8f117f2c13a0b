package dev.asyncio.rxjava3;

import dev.asyncio.EventLoop;
import java.util.concurrent.Flow;

/**
 * Makes the traffic between a {@code dev.asyncio.flow} subscriber or publisher and RxJava synchronous
 * when the loop runs on a {@link SchedulerClock}: what crosses from a thread off the loop is handed
 * over with {@link LoopDispatch}, which waits until the loop is idle again, so that
 * {@code testScheduler.advanceTimeBy} returns only after the loop has seen what the advance produced.
 * Two directions: signals to a subscriber on the loop ({@link #toLoop}, an awaiting coroutine), and
 * requests and cancels from a subscriber off the loop ({@link #fromLoop}, RxJava's subscriber of a
 * coroutine flowable). On any other loop the subscriber is used as it is (the flow machinery batches
 * foreign signals into one threadsafe call per burst, and its subscriptions are thread-safe).
 */
final class VirtualTimeSignals<T> implements Flow.Subscriber<T> {
    private final EventLoop loop;
    private final Flow.Subscriber<T> inner;
    private final boolean innerOnLoop;

    private VirtualTimeSignals(EventLoop loop, Flow.Subscriber<T> inner, boolean innerOnLoop) {
        this.loop = loop;
        this.inner = inner;
        this.innerOnLoop = innerOnLoop;
    }

    /** For {@code inner} on the loop's turn: signals from other threads reach it through {@link LoopDispatch}. */
    static <T> Flow.Subscriber<T> toLoop(EventLoop loop, Flow.Subscriber<T> inner) {
        return SchedulerClock.lockstepOf(loop) != null ? new VirtualTimeSignals<>(loop, inner, true) : inner;
    }

    /** For {@code inner} off the loop: its requests and cancels reach the loop through {@link LoopDispatch}. */
    static <T> Flow.Subscriber<T> fromLoop(EventLoop loop, Flow.Subscriber<T> inner) {
        return SchedulerClock.lockstepOf(loop) != null ? new VirtualTimeSignals<>(loop, inner, false) : inner;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        Flow.Subscription onLoop = new Flow.Subscription() {
            @Override
            public void request(long n) {
                LoopDispatch.runIfOpen(loop, () -> subscription.request(n));
            }

            @Override
            public void cancel() {
                LoopDispatch.runIfOpen(loop, subscription::cancel);
            }
        };
        deliver(() -> inner.onSubscribe(onLoop));
    }

    @Override
    public void onNext(T item) {
        deliver(() -> inner.onNext(item));
    }

    @Override
    public void onError(Throwable error) {
        deliver(() -> inner.onError(error));
    }

    @Override
    public void onComplete() {
        deliver(inner::onComplete);
    }

    private void deliver(Runnable signal) {
        if (innerOnLoop) {
            LoopDispatch.runIfOpen(loop, signal);
        } else {
            signal.run();
        }
    }
}
