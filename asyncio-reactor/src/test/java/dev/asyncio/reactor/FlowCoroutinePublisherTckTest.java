package dev.asyncio.reactor;

import dev.asyncio.flow.CoroutinePublisher;
import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;

/**
 * The Reactive Streams TCK 1.0.4 (its {@code java.util.concurrent.Flow} flavour) for the core's
 * {@link CoroutinePublisher}, which {@code flux} is built on.
 */
public class FlowCoroutinePublisherTckTest extends FlowPublisherVerification<Long> {

    public FlowCoroutinePublisherTckTest() {
        super(new TestEnvironment(500, 100));
    }

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
        return new CoroutinePublisher<>(ReactorCoroutines.defaultLoop(), sink -> {
            for (long i = 0; i < elements; i++) {
                sink.emit(i);
            }
        });
    }

    @Override
    public Flow.Publisher<Long> createFailedFlowPublisher() {
        return new CoroutinePublisher<>(ReactorCoroutines.defaultLoop(), sink -> {
            throw new IllegalStateException("failed publisher, as the TCK asks");
        });
    }

    @Override
    public long maxElementsFromPublisher() {
        return Long.MAX_VALUE - 1;
    }
}
