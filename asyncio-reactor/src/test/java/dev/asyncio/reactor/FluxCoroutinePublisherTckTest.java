package dev.asyncio.reactor;

import static dev.asyncio.Asyncio.sleep;

import java.time.Duration;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;

/**
 * The Reactive Streams TCK 1.0.4 for {@link ReactorCoroutines#flux}, run by the JUnit Platform's TestNG
 * engine. The producers run on the module's default loop; the TCK drives them from its own threads.
 */
public class FluxCoroutinePublisherTckTest extends PublisherVerification<Long> {

    public FluxCoroutinePublisherTckTest() {
        super(new TestEnvironment(500, 100));
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return ReactorCoroutines.flux(sink -> {
            for (long i = 0; i < elements; i++) {
                sink.emit(i);
            }
        });
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return ReactorCoroutines.flux(sink -> {
            sleep(Duration.ZERO);
            throw new IllegalStateException("failed publisher, as the TCK asks");
        });
    }

    @Override
    public long maxElementsFromPublisher() {
        return Long.MAX_VALUE - 1;
    }
}
