package dev.asyncio.reactor;

import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.flow.ProducerCoroutine;
import dev.asyncio.internal.InlineAwait;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * The {@code Mono} of {@link ReactorCoroutines#mono}: cold, one task per subscription; the
 * coroutine's value is emitted (once the subscriber has requested it) followed by completion,
 * {@code null} completes empty. Awaited by a coroutine on the loop it would run on, it makes no
 * subscription: the coroutine runs in the awaiting task ({@link InlineAwait}).
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

    /** Whether {@code await} from the calling thread runs the coroutine inline instead of subscribing. */
    boolean awaitsInline() {
        return InlineAwait.applies(loop);
    }

    /**
     * Runs the coroutine in the calling task, with what a subscription's task would see as its
     * {@link ReactorContext}: the context the subscription would pass upstream. Without propagation that is
     * the awaiter's own plus a key no code can read, so the awaiter's is kept as it is.
     */
    T callInline() {
        if (ReactorBridgeSettings.contextPropagation == null) {
            return InlineAwait.call(coroutine);
        }
        return InlineAwait.call(() -> {
            ReactorContext.VAR.set(ReactorCoroutines.upstreamContext());
            return coroutine.call();
        });
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
