package dev.asyncio.flow;

import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.flow.FlowCoroutines.awaitFirst;
import static dev.asyncio.flow.FlowCoroutines.awaitFirstOrNull;
import static dev.asyncio.flow.FlowCoroutines.awaitLast;
import static dev.asyncio.flow.FlowCoroutines.awaitSingle;
import static dev.asyncio.flow.FlowCoroutines.awaitSingleOrNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import org.junit.jupiter.api.Test;

class PublisherAwaiterTest {

    static Flow.Publisher<Integer> range(EventLoop loop, int n, Future<Throwable> bodyEnd) {
        return FlowCoroutines.<Integer>publish(loop, sink -> {
            try {
                for (int i = 1; i <= n; i++) {
                    sink.emit(i);
                }
                if (bodyEnd != null) {
                    bodyEnd.setResult(null);
                }
            } catch (CancelledError e) {
                if (bodyEnd != null) {
                    bodyEnd.setResult(e);
                }
                throw e;
            }
        });
    }

    @Test
    void awaitFirstTakesOneElementAndCancels() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Throwable> end = loop.createFuture();
            assertEquals(1, awaitFirst(range(loop, 1000, end)));
            assertInstanceOf(CancelledError.class, end.await(), "the producer was cancelled after the first element");
        });
    }

    @Test
    void awaitLastSingleAndEmpty() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            assertEquals(100, awaitLast(range(loop, 100, null)));
            assertEquals(1, awaitSingle(range(loop, 1, null)));
            assertNull(awaitFirstOrNull(range(loop, 0, null)));
            assertNull(awaitSingleOrNull(range(loop, 0, null)));
            assertThrows(NoSuchElementException.class, () -> awaitFirst(range(loop, 0, null)));
            assertThrows(NoSuchElementException.class, () -> awaitLast(range(loop, 0, null)));
            Future<Throwable> end = loop.createFuture();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> awaitSingle(range(loop, 5, end)));
            assertTrue(e.getMessage().contains("more than one"), e.getMessage());
            assertInstanceOf(CancelledError.class, end.await());
        });
    }

    @Test
    void errorIsRethrownAsTheSameCheckedObject() {
        IOException io = new IOException("disk");
        Asyncio.run(() -> {
            Flow.Publisher<String> failing = FlowCoroutines.<String>publish(Asyncio.getRunningLoop(), sink -> {
                throw io;
            });
            Exception e = assertThrows(Exception.class, () -> awaitFirst(failing));
            assertSame(io, e);
        });
    }

    @Test
    void cancellingTheAwaitingTaskCancelsTheSubscription() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Throwable> producerEnd = loop.createFuture();
            Flow.Publisher<Integer> never = FlowCoroutines.<Integer>publish(loop, sink -> {
                try {
                    sleep(Duration.ofDays(1));
                } catch (CancelledError e) {
                    producerEnd.setResult(e);
                    throw e;
                }
            });
            Task<Integer> waiter = Asyncio.createTask(() -> awaitFirst(never));
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            waiter.cancel();
            assertThrows(CancelledError.class, waiter::await);
            assertInstanceOf(CancelledError.class, producerEnd.await());
        });
    }

    @Test
    void foreignThreadPublisherIsDeliveredOntoTheLoop() {
        Asyncio.run(() -> {
            try (SubmissionPublisher<Integer> pub = new SubmissionPublisher<>()) {
                Task<Integer> last = Asyncio.createTask(() -> awaitLast(pub));
                sleep(Duration.ZERO);
                sleep(Duration.ZERO);
                Thread producer = Thread.ofPlatform().start(() -> {
                    for (int i = 1; i <= 500; i++) {
                        pub.submit(i);
                    }
                    pub.close();
                });
                assertEquals(500, last.await());
                producer.join();
            }
        });
    }

    @Test
    void awaiterOutsideACoroutineIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new PublisherAwaiter<Integer>(PublisherAwaiter.Mode.FIRST));
        assertTrue(e.getMessage().contains("coroutine"), e.getMessage());
    }
}
