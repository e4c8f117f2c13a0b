package dev.asyncio.rxjava3;

import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.rxjava3.RxCoroutines.observable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Task;
import io.reactivex.rxjava3.observers.TestObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ObservableCoroutineTest {
    private final UndeliverableErrors undeliverable = new UndeliverableErrors();

    @AfterEach
    void resetPlugins() {
        undeliverable.close();
    }

    @Test
    void emitsValuesThenCompletes() throws Exception {
        TestObserver<Integer> to = observable((ObservableSink<Integer> sink) -> {
            for (int i = 1; i <= 5; i++) {
                sink.emit(i);
                sleep(Duration.ZERO);
            }
        }).test();
        to.await(5, TimeUnit.SECONDS);
        to.assertValues(1, 2, 3, 4, 5).assertComplete();
    }

    @Test
    void emptyCompletes() throws Exception {
        TestObserver<Object> to = observable(sink -> {
        }).test();
        to.await(5, TimeUnit.SECONDS);
        to.assertNoValues().assertComplete();
    }

    @Test
    void errorAfterValues() throws Exception {
        IOException boom = new IOException("boom");
        TestObserver<String> to = observable((ObservableSink<String> sink) -> {
            sink.emit("a");
            throw boom;
        }).test();
        to.await(5, TimeUnit.SECONDS);
        to.assertValues("a").assertError(boom);
    }

    @Test
    void disposeStopsAProducerThatNeverSuspends() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(1);
        TestObserver<Integer> to = new TestObserver<>() {
            @Override
            public void onNext(Integer v) {
                super.onNext(v);
                if (v == 3) {
                    dispose();
                }
            }
        };
        observable((ObservableSink<Integer> sink) -> {
            try {
                for (int i = 1; ; i++) {
                    sink.emit(i);
                }
            } catch (Throwable e) {
                seen.set(e);
                ended.countDown();
                throw e;
            }
        }).subscribe(to);
        assertTrue(ended.await(5, TimeUnit.SECONDS));
        to.assertValues(1, 2, 3).assertNoErrors().assertNotComplete();
        assertInstanceOf(CancelledError.class, seen.get());
        RxCoroutines.defaultLoop().runCoroutineThreadsafe(() -> null).get(5, TimeUnit.SECONDS);
        assertTrue(undeliverable.list().isEmpty(), undeliverable.list().toString());
    }

    @Test
    void disposeFromAnotherThreadCancelsTheTask() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        TestObserver<Integer> to = observable((ObservableSink<Integer> sink) -> {
            sink.emit(1);
            try {
                sleep(Duration.ofHours(1));
            } catch (CancelledError e) {
                cancelled.countDown();
                throw e;
            }
        }).test();
        to.awaitCount(1);
        to.dispose();
        assertTrue(cancelled.await(5, TimeUnit.SECONDS));
        to.assertValues(1).assertNoErrors().assertNotComplete();
    }

    @Test
    void taskCancelledFromTheLoopSideIsAnError() {
        Asyncio.run(() -> {
            TestObserver<Integer> to = new TestObserver<>();
            observable((ObservableSink<Integer> sink) -> {
                sink.emit(1);
                sleep(Duration.ofHours(1));
            }).subscribe(to);
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            for (Task<?> t : Asyncio.allTasks()) {
                if (t != Asyncio.currentTask()) {
                    t.cancel();
                }
            }
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            to.assertValues(1).assertError(CancelledError.class);
        });
    }

    @Test
    void childTasksOfTheLoopEmitSerialized() {
        Asyncio.run(() -> {
            List<String> got = new java.util.ArrayList<>();
            RxCoroutines.await(observable((ObservableSink<String> sink) -> {
                List<Task<Void>> children = List.of(
                        Asyncio.createTask(() -> {
                            for (int i = 0; i < 3; i++) {
                                sink.emit("a" + i);
                                sleep(Duration.ZERO);
                            }
                        }),
                        Asyncio.createTask(() -> {
                            for (int i = 0; i < 3; i++) {
                                sink.emit("b" + i);
                                sleep(Duration.ZERO);
                            }
                        }));
                for (Task<Void> c : children) {
                    c.await();
                }
            }).doOnNext(got::add).ignoreElements());
            assertEquals(List.of("a0", "b0", "a1", "b1", "a2", "b2"), got);
        });
    }

    @Test
    void emitMisuseIsRefusedClearly() throws Exception {
        AtomicReference<ObservableSink<String>> leaked = new AtomicReference<>();
        AtomicReference<Throwable> nullEmit = new AtomicReference<>();
        TestObserver<String> to = observable((ObservableSink<String> sink) -> {
            leaked.set(sink);
            try {
                sink.emit(null);
            } catch (NullPointerException e) {
                nullEmit.set(e);
            }
            sink.emit("ok");
        }).test();
        to.await(5, TimeUnit.SECONDS);
        to.assertValues("ok").assertComplete();
        assertInstanceOf(NullPointerException.class, nullEmit.get());
        IllegalStateException offTurn = assertThrows(IllegalStateException.class, () -> leaked.get().emit("x"));
        assertTrue(offTurn.getMessage().contains("callSoonThreadsafe"), offTurn.getMessage());
    }

    @Test
    void throwingOnNextStopsTheProducerAndIsReported() throws Exception {
        IllegalStateException bug = new IllegalStateException("observer bug");
        AtomicReference<Throwable> seenByProducer = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(1);
        observable((ObservableSink<Integer> sink) -> {
            try {
                sink.emit(1);
            } catch (Throwable e) {
                seenByProducer.set(e);
                ended.countDown();
                throw e;
            }
        }).subscribe(new io.reactivex.rxjava3.core.Observer<Integer>() {
            @Override
            public void onSubscribe(io.reactivex.rxjava3.disposables.Disposable d) {
            }

            @Override
            public void onNext(Integer v) {
                throw bug;
            }

            @Override
            public void onError(Throwable e) {
                throw new AssertionError("no onError after a throwing onNext", e);
            }

            @Override
            public void onComplete() {
                throw new AssertionError("no onComplete after a throwing onNext");
            }
        });
        assertTrue(ended.await(5, TimeUnit.SECONDS));
        assertSame(bug, seenByProducer.get());
        RxCoroutines.defaultLoop().runCoroutineThreadsafe(() -> null).get(5, TimeUnit.SECONDS);
        assertEquals(List.of(bug), undeliverable.list());
    }

    @Test
    void disposeRacingCompletion() throws Exception {
        Random random = new Random(4242L);
        for (int i = 0; i < 200; i++) {
            long wait = random.nextInt(1_000_000);
            TestObserver<Integer> to = observable((ObservableSink<Integer> sink) -> {
                sink.emit(1);
                sleep(Duration.ZERO);
                sink.emit(2);
            }).test();
            Races.spinFor(wait);
            to.dispose();
            RxCoroutines.defaultLoop().runCoroutineThreadsafe(() -> null).get(5, TimeUnit.SECONDS);
            to.assertNoErrors();
            int n = to.values().size();
            assertTrue(n <= 2);
            if (n > 0) {
                assertEquals(1, to.values().get(0));
            }
        }
        assertTrue(undeliverable.list().isEmpty(), undeliverable.list().toString());
    }
}
