package dev.asyncio.reactor;

import java.util.concurrent.Flow;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * A Reactor subscriber fed by a {@link Flow} publisher: how {@code mono}/{@code flux} hand the
 * signals of the flow machinery ({@link dev.asyncio.flow.CoroutinePublisher}) to the Reactor
 * subscriber, one virtual call per signal and no queue.
 */
final class FlowToCoreSubscriber<T> implements Flow.Subscriber<T>, Subscription {
    private final CoreSubscriber<? super T> actual;
    private Flow.Subscription upstream;

    FlowToCoreSubscriber(CoreSubscriber<? super T> actual) {
        this.actual = actual;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        upstream = s;
        actual.onSubscribe(this);
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

    @Override
    public void request(long n) {
        upstream.request(n);
    }

    @Override
    public void cancel() {
        upstream.cancel();
    }
}
