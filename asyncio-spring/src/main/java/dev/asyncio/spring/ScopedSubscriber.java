package dev.asyncio.spring;

import dev.asyncio.Context;
import dev.asyncio.internal.LoopInternals;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Relays a subscription and its signals to {@code actual} with {@code scope} as the calling thread's
 * asyncio context, when that thread runs no loop (on a loop's turn the running task's context must stay
 * the current one). It passes itself as the subscription, so no fusion bypasses it.
 */
final class ScopedSubscriber<T> implements CoreSubscriber<T>, Subscription {
    private final CoreSubscriber<? super T> actual;
    private final Context scope;
    private Subscription upstream;

    ScopedSubscriber(CoreSubscriber<? super T> actual, Context scope) {
        this.actual = actual;
        this.scope = scope;
    }

    static void inScope(Context scope, Runnable action) {
        if (LoopInternals.runningLoopOrNull() != null) {
            action.run();
        } else {
            scope.run(action);
        }
    }

    @Override
    public reactor.util.context.Context currentContext() {
        return actual.currentContext();
    }

    @Override
    public void onSubscribe(Subscription s) {
        upstream = s;
        inScope(scope, () -> actual.onSubscribe(this));
    }

    @Override
    public void onNext(T t) {
        inScope(scope, () -> actual.onNext(t));
    }

    @Override
    public void onError(Throwable t) {
        inScope(scope, () -> actual.onError(t));
    }

    @Override
    public void onComplete() {
        inScope(scope, actual::onComplete);
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

/** A {@code Flux} subscribed and signalled within an asyncio context; see {@link ScopedSubscriber}. */
final class ScopedFlux<T> extends Flux<T> {
    private final Flux<T> source;
    private final Context scope;

    ScopedFlux(Flux<T> source, Context scope) {
        this.source = source;
        this.scope = scope;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        ScopedSubscriber.inScope(scope, () -> source.subscribe(new ScopedSubscriber<>(actual, scope)));
    }
}

/** A {@code Mono} subscribed and signalled within an asyncio context; see {@link ScopedSubscriber}. */
final class ScopedMono<T> extends Mono<T> {
    private final Mono<T> source;
    private final Context scope;

    ScopedMono(Mono<T> source, Context scope) {
        this.source = source;
        this.scope = scope;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        ScopedSubscriber.inScope(scope, () -> source.subscribe(new ScopedSubscriber<>(actual, scope)));
    }
}
