package dev.asyncio.rxjava3;

import static dev.asyncio.rxjava3.RxCoroutines.flowable;

import dev.asyncio.flow.FlowSink;
import dev.asyncio.Asyncio;
import java.io.IOException;
import java.time.Duration;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;

/**
 * The Reactive Streams TCK 1.0.4 {@link PublisherVerification} for {@link RxCoroutines#flowable}
 * (TestNG, run on the JUnit Platform by the TestNG engine). The producers run on the default loop.
 */
public class FlowablePublisherTckTest extends PublisherVerification<Long> {

    public FlowablePublisherTckTest() {
        super(new TestEnvironment(500, 100));
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return flowable((FlowSink<Long> sink) -> {
            for (long i = 0; i < elements; i++) {
                sink.emit(i);
                if ((i & 63) == 63) {
                    // With unbounded demand emit never suspends; a producer of a near-endless stream
                    // yields now and then so that a cancel from another thread gets the loop's turn.
                    Asyncio.sleep(Duration.ZERO);
                }
            }
        });
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return flowable((FlowSink<Long> sink) -> {
            throw new IOException("failed publisher for the TCK");
        });
    }

}
