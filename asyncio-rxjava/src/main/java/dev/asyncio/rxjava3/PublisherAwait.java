package dev.asyncio.rxjava3;

import dev.asyncio.EventLoop;
import dev.asyncio.flow.PublisherAwaiter;
import dev.asyncio.flow.PublisherIterator;
import java.util.Objects;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.Publisher;

/**
 * Awaiting and iterating a Reactive Streams {@link Publisher} (a {@code Flowable}) inside a coroutine,
 * on the shared subscribers of {@code dev.asyncio.flow}, adapted with {@link FlowAdapters}.
 */
final class PublisherAwait {
    private PublisherAwait() {
    }

    static <T> T await(Publisher<T> publisher, PublisherAwaiter.Mode mode, String operation) {
        Objects.requireNonNull(publisher, "publisher");
        EventLoop loop = LoopFutures.requireCoroutine("RxCoroutines." + operation + "(Publisher)");
        PublisherAwaiter<T> awaiter = new PublisherAwaiter<>(mode);
        AwaitingTask.subscribe(() -> FlowAdapters.toFlowPublisher(publisher).subscribe(VirtualTimeSignals.toLoop(loop, awaiter)));
        return awaiter.await();
    }

    static <T> PublisherIterator<T> iterate(Publisher<T> publisher, int prefetch) {
        Objects.requireNonNull(publisher, "publisher");
        EventLoop loop = LoopFutures.requireCoroutine("RxCoroutines.iterate(Publisher)");
        PublisherIterator<T> iterator = new PublisherIterator<>(prefetch);
        AwaitingTask.subscribe(() -> FlowAdapters.toFlowPublisher(publisher).subscribe(VirtualTimeSignals.toLoop(loop, iterator)));
        return iterator;
    }
}
