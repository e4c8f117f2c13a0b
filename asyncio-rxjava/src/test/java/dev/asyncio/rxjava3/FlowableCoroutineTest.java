package dev.asyncio.rxjava3;

import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.rxjava3.RxCoroutines.flowable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.flow.FlowSink;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FlowableCoroutineTest {
    private final UndeliverableErrors undeliverable = new UndeliverableErrors();

    @AfterEach
    void resetPlugins() {
        undeliverable.close();
    }

    /** Lets the default loop run everything queued so far (two round trips). */
    private static void settle() throws Exception {
        RxCoroutines.defaultLoop().runCoroutineThreadsafe(() -> null).get(5, TimeUnit.SECONDS);
        RxCoroutines.defaultLoop().runCoroutineThreadsafe(() -> null).get(5, TimeUnit.SECONDS);
    }

    @Test
    void emitsAllWithUnboundedDemand() throws Exception {
        TestSubscriber<Integer> ts = flowable((FlowSink<Integer> sink) -> {
            for (int i = 0; i < 100; i++) {
                sink.emit(i);
            }
        }).test();
        ts.await(5, TimeUnit.SECONDS);
        ts.assertValueCount(100).assertComplete();
        assertEquals(99, ts.values().get(99));
    }

    @Test
    void emitSuspendsWithoutDemand() throws Exception {
        AtomicInteger attempted = new AtomicInteger();
        TestSubscriber<Integer> ts = flowable((FlowSink<Integer> sink) -> {
            for (int i = 1; i <= 3; i++) {
                attempted.incrementAndGet();
                sink.emit(i);
            }
        }).test(0);
        settle();
        assertEquals(1, attempted.get(), "the first emit waits for demand");
        ts.assertNoValues().assertNotComplete();

        ts.request(1);
        settle();
        ts.assertValues(1).assertNotComplete();
        assertEquals(2, attempted.get(), "exactly one element per request(1)");

        ts.request(1);
        settle();
        ts.assertValues(1, 2).assertNotComplete();

        ts.request(1);
        ts.await(5, TimeUnit.SECONDS);
        ts.assertValues(1, 2, 3).assertComplete();
    }

    @Test
    void emptyCompletes() throws Exception {
        TestSubscriber<Object> ts = flowable(sink -> {
        }).test(0);
        ts.await(5, TimeUnit.SECONDS);
        ts.assertNoValues().assertComplete();
    }

    @Test
    void errorIsTheSameObject() throws Exception {
        IOException boom = new IOException("boom");
        TestSubscriber<String> ts = flowable((FlowSink<String> sink) -> {
            sink.emit("a");
            throw boom;
        }).test();
        ts.await(5, TimeUnit.SECONDS);
        ts.assertValues("a").assertError(boom);
    }

    @Test
    void cancelWhileSuspendedInEmitCancelsTheTaskSilently() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(1);
        TestSubscriber<Integer> ts = flowable((FlowSink<Integer> sink) -> {
            try {
                sink.emit(1);
                sink.emit(2);
            } catch (Throwable e) {
                seen.set(e);
                ended.countDown();
                throw e;
            }
        }).test(1);
        ts.awaitCount(1);
        ts.cancel();
        assertTrue(ended.await(5, TimeUnit.SECONDS));
        assertInstanceOf(CancelledError.class, seen.get());
        settle();
        ts.assertValues(1).assertNoErrors().assertNotComplete();
        assertTrue(undeliverable.list().isEmpty(), undeliverable.list().toString());
    }

    @Test
    void cancelFromInsideOnNextOnTheLoopsTurn() throws Exception {
        AtomicInteger emitted = new AtomicInteger();
        TestSubscriber<Integer> ts = new TestSubscriber<>() {
            @Override
            public void onNext(Integer v) {
                super.onNext(v);
                if (v == 2) {
                    cancel();
                }
            }
        };
        flowable((FlowSink<Integer> sink) -> {
            for (int i = 1; ; i++) {
                sink.emit(i);
                emitted.incrementAndGet();
            }
        }).subscribe(ts);
        settle();
        ts.assertValues(1, 2).assertNoErrors().assertNotComplete();
        assertEquals(2, emitted.get(), "the emit that delivered 2 returns; the next one throws CancelledError");
    }

    @Test
    void taskCancelledFromTheLoopSideIsAnError() {
        Asyncio.run(() -> {
            TestSubscriber<Integer> ts = new TestSubscriber<>();
            flowable((FlowSink<Integer> sink) -> {
                sink.emit(1);
                sleep(Duration.ofHours(1));
            }).subscribe(ts);
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            Asyncio.allTasks().stream().filter(t -> t != Asyncio.currentTask()).forEach(t -> t.cancel());
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            ts.assertValues(1).assertError(CancelledError.class);
        });
    }

    @Test
    void invalidRequestIsAnIllegalArgumentException() throws Exception {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger ended = new AtomicInteger();
        TestSubscriber<Integer> ts = flowable((FlowSink<Integer> sink) -> {
            started.incrementAndGet();
            try {
                sink.emit(1);
            } finally {
                ended.incrementAndGet();
            }
        }).test(0);
        ts.request(0);
        ts.await(5, TimeUnit.SECONDS);
        ts.assertNoValues().assertError(IllegalArgumentException.class);
        settle();
        // The request may reach the loop before the producer task starts (then it never runs) or after.
        assertEquals(started.get(), ended.get(), "a producer that started was cancelled");
    }

    @Test
    void subscribedInsideACoroutineRunsOnThatLoop() {
        Asyncio.run(() -> {
            EventLoop mine = Asyncio.getRunningLoop();
            AtomicReference<EventLoop> ranOn = new AtomicReference<>();
            Flowable<Integer> f = flowable((FlowSink<Integer> sink) -> {
                ranOn.set(Asyncio.getRunningLoop());
                sink.emit(1);
                sink.emit(2);
            });
            assertEquals(Integer.valueOf(2), RxCoroutines.awaitLast(f));
            assertEquals(mine, ranOn.get());
        });
    }

    @Test
    void errorAfterCancelGoesToRxJavaPlugins() throws Exception {
        IOException late = new IOException("late");
        CountDownLatch ended = new CountDownLatch(1);
        TestSubscriber<Integer> ts = flowable((FlowSink<Integer> sink) -> {
            try {
                sink.emit(1);
                sink.emit(2);
            } catch (CancelledError e) {
                ended.countDown();
                throw late;
            }
        }).test(1);
        ts.awaitCount(1);
        ts.cancel();
        assertTrue(ended.await(5, TimeUnit.SECONDS));
        settle();
        assertEquals(java.util.List.of(late), undeliverable.list());
        ts.assertNoErrors();
    }

    @Test
    void cancelRacingCompletion() throws Exception {
        Random random = new Random(31337L);
        for (int i = 0; i < 200; i++) {
            long wait = random.nextInt(1_000_000);
            TestSubscriber<Integer> ts = flowable((FlowSink<Integer> sink) -> {
                sink.emit(1);
                sink.emit(2);
            }).test();
            Races.spinFor(wait);
            ts.cancel();
            settle();
            ts.assertNoErrors();
            assertTrue(ts.values().size() <= 2);
            if (!ts.values().isEmpty()) {
                assertEquals(1, ts.values().get(0));
            }
        }
        assertTrue(undeliverable.list().isEmpty(), undeliverable.list().toString());
    }
}
