package dev.asyncio.reactor;

import dev.asyncio.EventLoop;
import dev.asyncio.flow.CoroutinePublisher;
import dev.asyncio.flow.ProducerCoroutine;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;

/**
 * The {@code Flux} of {@link ReactorCoroutines#flux}: cold, one producer task per subscription, on
 * the flow machinery ({@link CoroutinePublisher}) with the subscriber's Reactor context made visible
 * as {@link ReactorContext}.
 */
final class FluxCoroutine<T> extends Flux<T> {
    private final EventLoop loop;
    private final ProducerCoroutine<T> body;

    FluxCoroutine(EventLoop loop, ProducerCoroutine<T> body) {
        this.loop = loop;
        this.body = body;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        SubscribedCoroutine.start(loop, body, actual);
    }

    @Override
    public String toString() {
        return "FluxCoroutine[" + body + (loop != null ? " on " + loop : "") + "]";
    }
}
