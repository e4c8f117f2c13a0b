package dev.asyncio.flow;

import dev.asyncio.internal.LoopInternals;
import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class CoroutinePublisherTest {

    /**
     * Records signals; requests {@code initial} in onSubscribe and one more per element if {@code perElement};
     * or, made by {@link #inOnSubscribe}, does what it is given in onSubscribe.
     */
    static final class Recorder<T> implements Flow.Subscriber<T> {
        final List<T> items = new ArrayList<>();
        final CompletableFuture<Throwable> end = new CompletableFuture<>(); // null = completed
        final long initial;
        final boolean perElement;
        private final Consumer<Flow.Subscription> inOnSubscribe;
        volatile Flow.Subscription subscription;

        Recorder(long initial, boolean perElement) {
            this(initial, perElement, s -> { });
        }

        private Recorder(long initial, boolean perElement, Consumer<Flow.Subscription> inOnSubscribe) {
            this.initial = initial;
            this.perElement = perElement;
            this.inOnSubscribe = inOnSubscribe;
        }

        /** A recorder that requests nothing by itself: {@code action} runs inside onSubscribe. */
        static <T> Recorder<T> inOnSubscribe(Consumer<Flow.Subscription> action) {
            return new Recorder<>(0, false, action);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (initial > 0) {
                s.request(initial);
            }
            inOnSubscribe.accept(s);
        }

        @Override
        public void onNext(T item) {
            synchronized (items) {
                items.add(item);
            }
            if (perElement) {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable t) {
            end.complete(t);
        }

        @Override
        public void onComplete() {
            end.complete(null);
        }
    }

    @Test
    void emitsUnderDemandAndCompletes() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            int[] emitted = {0};
            Recorder<Integer> r = new Recorder<>(0, false);
            FlowCoroutines.<Integer>publish(loop, sink -> {
                for (int i = 0; i < 10; i++) {
                    sink.emit(i);          // as fast as it can
                    emitted[0]++;
                }
            }).subscribe(r);
            for (int i = 1; i <= 10; i++) {
                sleep(Duration.ZERO);
                sleep(Duration.ZERO);
                assertEquals(i - 1, r.items.size(), "nothing is emitted past demand");
                r.subscription.request(1);
                sleep(Duration.ZERO);
                sleep(Duration.ZERO);
                assertEquals(i, r.items.size());
            }
            sleep(Duration.ZERO);
            assertNull(r.end.getNow(new RuntimeException("not ended")));
            assertEquals(10, emitted[0]);
        });
    }

    @Test
    void errorOfTheBodyIsSignalledAsTheSameObject() {
        IllegalStateException boom = new IllegalStateException("boom");
        Throwable got = Asyncio.run(() -> {
            Recorder<String> r = new Recorder<>(5, false);
            FlowCoroutines.<String>publish(Asyncio.getRunningLoop(), sink -> {
                sink.emit("a");
                throw boom;
            }).subscribe(r);
            while (!r.end.isDone()) {
                sleep(Duration.ZERO);
            }
            assertEquals(List.of("a"), r.items);
            return r.end.join();
        });
        assertSame(boom, got);
    }

    @Test
    void cancelRaisesCancelledErrorInTheBodyAndSignalsNothing() {
        Asyncio.run(() -> {
            Future<Throwable> seen = Asyncio.getRunningLoop().createFuture();
            Recorder<Integer> r = new Recorder<>(1, false);
            FlowCoroutines.<Integer>publish(Asyncio.getRunningLoop(), sink -> {
                try {
                    sink.emit(1);
                    sink.emit(2); // suspends: no demand
                } catch (CancelledError e) {
                    seen.setResult(e);
                    throw e;
                }
            }).subscribe(r);
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            r.subscription.cancel();
            assertInstanceOf(CancelledError.class, seen.await());
            sleep(Duration.ZERO);
            assertEquals(List.of(1), r.items);
            assertTrue(!r.end.isDone(), "a cancelled subscription gets no terminal signal");
        });
    }

    @Test
    void nonPositiveRequestSignalsIllegalArgumentAndStopsTheBody() {
        Asyncio.run(() -> {
            Future<Boolean> bodyStopped = Asyncio.getRunningLoop().createFuture();
            Recorder<Integer> r = new Recorder<>(0, false);
            FlowCoroutines.<Integer>publish(Asyncio.getRunningLoop(), sink -> {
                try {
                    sink.emit(1);
                } finally {
                    bodyStopped.setResult(true);
                }
            }).subscribe(r);
            sleep(Duration.ZERO);
            r.subscription.request(0);
            assertTrue(bodyStopped.await());
            assertInstanceOf(IllegalArgumentException.class, r.end.getNow(null));
            assertTrue(r.items.isEmpty());
        });
    }

    @Test
    void emitFromAnotherTaskIsRefused() {
        Asyncio.run(() -> {
            Recorder<Integer> r = new Recorder<>(Long.MAX_VALUE, false);
            Future<FlowSink<Integer>> sinkOut = Asyncio.getRunningLoop().createFuture();
            FlowCoroutines.<Integer>publish(Asyncio.getRunningLoop(), sink -> {
                sinkOut.setResult(sink);
                sleep(Duration.ofMillis(10));
            }).subscribe(r);
            FlowSink<Integer> sink = sinkOut.await();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> sink.emit(1));
            assertTrue(e.getMessage().contains("producer coroutine itself"), e.getMessage());
        });
    }

    @Test
    void subscriberOnAnotherThreadRequestsThroughTheLoop() throws Exception {
        EventLoop loop = new EventLoop();
        Thread host = new Thread(() -> {
            loop.callSoon(() -> { });
            loop.runForever();
        }, "loop-host");
        host.start();
        try {
            Recorder<Integer> r = new Recorder<>(1, true); // requests from this thread and from onNext
            new CoroutinePublisher<Integer>(loop, sink -> {
                for (int i = 0; i < 1000; i++) {
                    sink.emit(i);
                }
            }).subscribe(r);
            assertNull(r.end.get(10, TimeUnit.SECONDS));
            assertEquals(1000, r.items.size());
            assertEquals(999, r.items.get(999));
        } finally {
            loop.stop();
            host.join(10_000);
            loop.close();
        }
    }

    /** Subscribes {@code subscriber} from this thread while {@code loop} is not running, then runs the loop until it ends. */
    private static void subscribeOffTheLoopThenRun(EventLoop loop, CoroutinePublisher<Integer> publisher,
            Recorder<Integer> subscriber) throws Exception {
        assertFalse(LoopInternals.isOnTurn(loop));
        publisher.subscribe(subscriber);
        Future<Void> done = loop.createFuture();
        subscriber.end.whenComplete((v, e) -> loop.callSoonThreadsafe(() -> done.setResult(null)));
        loop.runUntilComplete(done);
    }

    @Test
    void demandRequestedInsideOnSubscribeOffTheLoopReachesTheProducer() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            Recorder<Integer> r = new Recorder<>(2, false);
            subscribeOffTheLoopThenRun(loop, new CoroutinePublisher<>(loop, sink -> {
                sink.emit(1);
                sink.emit(2);
            }), r);
            assertNull(r.end.getNow(new AssertionError("not ended")));
            assertEquals(List.of(1, 2), r.items);
        }
    }

    @Test
    void unboundedDemandRequestedTwiceInsideOnSubscribeSaturates() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            Recorder<Integer> twice = Recorder.inOnSubscribe(s -> {
                s.request(Long.MAX_VALUE);
                s.request(Long.MAX_VALUE); // §3.17: still unbounded, not negative
            });
            subscribeOffTheLoopThenRun(loop, new CoroutinePublisher<>(loop, sink -> {
                for (int i = 0; i < 5; i++) {
                    sink.emit(i);
                }
            }), twice);
            assertNull(twice.end.getNow(new AssertionError("not ended")));
            assertEquals(List.of(0, 1, 2, 3, 4), twice.items);
        }
    }

    @Test
    void aCancelInsideOnSubscribeOffTheLoopNeverStartsTheProducer() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            AtomicBoolean ran = new AtomicBoolean();
            Recorder<Integer> r = Recorder.inOnSubscribe(s -> {
                s.request(1);
                s.cancel();
            });
            new CoroutinePublisher<Integer>(loop, sink -> {
                ran.set(true);
                sink.emit(1);
            }).subscribe(r);
            loop.runUntilComplete(loop.createTask(() -> sleep(Duration.ofMillis(1))));
            assertFalse(ran.get(), "the body ran after a cancel");
            assertFalse(r.end.isDone(), "no signal after a cancel");
            assertTrue(r.items.isEmpty());
        }
    }

    @Test
    void aNonPositiveRequestInsideOnSubscribeOffTheLoopIsStillSignalledFromTheLoop() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            AtomicBoolean ran = new AtomicBoolean();
            Recorder<Integer> r = Recorder.inOnSubscribe(s -> s.request(0));
            subscribeOffTheLoopThenRun(loop, new CoroutinePublisher<>(loop, sink -> {
                ran.set(true);
                sink.emit(1);
            }), r);
            assertInstanceOf(IllegalArgumentException.class, r.end.getNow(null));
            assertFalse(ran.get(), "the body ran after §3.9's error");
        }
    }

    @Test
    void aRequestFromAnotherThreadWhileOnSubscribeRunsGoesThroughTheLoop() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            Recorder<Integer> r = Recorder.inOnSubscribe(s -> {
                Thread other = Thread.ofPlatform().start(() -> s.request(3));
                try {
                    other.join();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            subscribeOffTheLoopThenRun(loop, new CoroutinePublisher<>(loop, sink -> {
                for (int i = 0; i < 3; i++) {
                    sink.emit(i);
                }
            }), r);
            assertNull(r.end.getNow(new AssertionError("not ended")));
            assertEquals(List.of(0, 1, 2), r.items);
        }
    }

    @Test
    void subscribingToAClosedLoopSignalsAnError() {
        EventLoop loop = new EventLoop();
        loop.close();
        Recorder<Integer> r = new Recorder<>(1, false);
        new CoroutinePublisher<Integer>(loop, sink -> sink.emit(1)).subscribe(r);
        assertInstanceOf(IllegalStateException.class, r.end.getNow(null));
    }
}
