package dev.asyncio.flow;

import static dev.asyncio.flow.FlowCoroutines.iterate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import org.junit.jupiter.api.Test;

class PublisherIteratorTest {

    @Test
    void iteratesWithBoundedPrefetch() {
        Asyncio.run(() -> {
            int[] produced = {0};
            int[] maxAhead = {0};
            List<Integer> got = new ArrayList<>();
            Flow.Publisher<Integer> p = FlowCoroutines.<Integer>publish(Asyncio.getRunningLoop(), sink -> {
                for (int i = 0; i < 100; i++) {
                    sink.emit(i);
                    produced[0]++;
                    maxAhead[0] = Math.max(maxAhead[0], produced[0] - got.size());
                }
            });
            try (PublisherIterator<Integer> it = iterate(p, 4)) {
                for (int v : it) {
                    got.add(v);
                }
            }
            assertEquals(100, got.size());
            assertEquals(99, got.get(99));
            assertTrue(maxAhead[0] <= 4, "never more than the prefetch ahead: " + maxAhead[0]);
        });
    }

    @Test
    void breakWithTryWithResourcesCancelsTheProducer() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Throwable> end = loop.createFuture();
            Flow.Publisher<Integer> p = FlowCoroutines.<Integer>publish(loop, sink -> {
                try {
                    for (int i = 0; ; i++) {
                        sink.emit(i);
                    }
                } catch (CancelledError e) {
                    end.setResult(e);
                    throw e;
                }
            });
            try (PublisherIterator<Integer> it = iterate(p)) {
                for (int v : it) {
                    if (v == 10) {
                        break;
                    }
                }
            }
            assertInstanceOf(CancelledError.class, end.await());
        });
    }

    @Test
    void breakWithoutCloseIsCancelledWhenTheTaskEnds() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Throwable> end = loop.createFuture();
            Flow.Publisher<Integer> p = FlowCoroutines.<Integer>publish(loop, sink -> {
                try {
                    for (int i = 0; ; i++) {
                        sink.emit(i);
                    }
                } catch (CancelledError e) {
                    end.setResult(e);
                    throw e;
                }
            });
            Asyncio.createTask(() -> {
                for (int v : iterate(p)) {
                    if (v == 3) {
                        break;
                    }
                }
            }).await();
            assertInstanceOf(CancelledError.class, end.await());
        });
    }

    @Test
    void errorComesAfterTheBufferedElements() {
        IllegalStateException boom = new IllegalStateException("boom");
        Asyncio.run(() -> {
            Flow.Publisher<Integer> p = FlowCoroutines.<Integer>publish(Asyncio.getRunningLoop(), sink -> {
                sink.emit(1);
                sink.emit(2);
                throw boom;
            });
            List<Integer> got = new ArrayList<>();
            PublisherIterator<Integer> it = iterate(p);
            RuntimeException e = assertThrows(RuntimeException.class, () -> {
                for (int v : it) {
                    got.add(v);
                }
            });
            assertSame(boom, e);
            assertEquals(List.of(1, 2), got);
            assertFalse(it.hasNext());
            assertThrows(IllegalStateException.class, it::iterator, "single use");
        });
    }

    @Test
    void foreignPublisherWithSmallPrefetch() {
        Asyncio.run(() -> {
            try (SubmissionPublisher<Integer> pub = new SubmissionPublisher<>()) {
                PublisherIterator<Integer> it = iterate(pub, 2);
                Thread producer = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 300; i++) {
                        pub.submit(i); // blocks when the subscriber's buffer is full
                    }
                    pub.close();
                });
                long sum = 0;
                int count = 0;
                try (it) {
                    for (int v : it) {
                        sum += v;
                        count++;
                    }
                }
                producer.join();
                assertEquals(300, count);
                assertEquals(299L * 300 / 2, sum);
            }
        });
    }
}
