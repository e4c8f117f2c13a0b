package dev.asyncio.reactor;

import java.util.concurrent.Flow;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.util.context.Context;

/**
 * A {@link Flow} subscriber (the awaiter or iterator of a coroutine) subscribed to a Reactive Streams
 * publisher as a Reactor {@link CoreSubscriber}, so that Reactor operators upstream see the
 * coroutine's {@link ReactorContext} through {@link #currentContext()}.
 *
 * <p>Why not {@code FlowAdapters.toSubscriber}: its subscriber is no {@link CoreSubscriber}, so Reactor
 * would see an empty context, and would wrap it in its {@code StrictSubscriber}, which drops a cancel
 * that comes after an error (an awaiter that has its first element cancels even when an overflow error
 * raced in, and the upstream must hear it).
 */
final class CoreToFlowSubscriber<T> implements CoreSubscriber<T>, Flow.Subscription {
    private final Flow.Subscriber<? super T> target;
    private final Context context;
    private volatile Subscription upstream;

    CoreToFlowSubscriber(Flow.Subscriber<? super T> target, Context context) {
        this.target = target;
        this.context = context;
    }

    @Override
    public Context currentContext() {
        return context;
    }

    @Override
    public void onSubscribe(Subscription s) {
        if (s == null || upstream != null) {
            // Broken publisher: the target reports it (and cancels a second subscription, §2.5) without
            // losing the first one, which stays the only one requested and cancelled through this object.
            target.onSubscribe(s == null ? null : new Flow.Subscription() {
                @Override
                public void request(long n) {
                    s.request(n);
                }

                @Override
                public void cancel() {
                    s.cancel();
                }
            });
            return;
        }
        upstream = s;
        target.onSubscribe(this);
    }

    @Override
    public void onNext(T item) {
        target.onNext(item);
    }

    @Override
    public void onError(Throwable error) {
        target.onError(error);
    }

    @Override
    public void onComplete() {
        target.onComplete();
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
