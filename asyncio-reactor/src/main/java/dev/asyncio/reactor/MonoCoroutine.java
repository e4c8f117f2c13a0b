package dev.asyncio.reactor;

import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.flow.ProducerCoroutine;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * The {@code Mono} of {@link ReactorCoroutines#mono}: cold, one task per subscription; the
 * coroutine's value is emitted (once the subscriber has requested it) followed by completion,
 * {@code null} completes empty.
 */
final class MonoCoroutine<T> extends Mono<T> {
    private final EventLoop loop;
    private final Coroutine<T> coroutine;
    private final ProducerCoroutine<T> body;

    MonoCoroutine(EventLoop loop, Coroutine<T> coroutine) {
        this.loop = loop;
        this.coroutine = coroutine;
        this.body = sink -> {
            T value = coroutine.call();
            if (value != null) {
                sink.emit(value);
            }
        };
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        SubscribedCoroutine.start(loop, body, actual);
    }

    @Override
    public String toString() {
        return "MonoCoroutine[" + coroutine + (loop != null ? " on " + loop : "") + "]";
    }
}
