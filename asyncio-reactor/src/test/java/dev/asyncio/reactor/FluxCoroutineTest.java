package dev.asyncio.reactor;

import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.reactor.ReactorCoroutines.flux;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.CancelledError;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class FluxCoroutineTest {

    @Test
    void valuesEmptyAndError() {
        StepVerifier.create(flux(sink -> {
            for (int i = 1; i <= 3; i++) {
                sink.emit(i);
                sleep(Duration.ofMillis(1));
            }
        })).expectNext(1, 2, 3).verifyComplete();
        StepVerifier.create(flux(sink -> { })).verifyComplete();
        IllegalStateException boom = new IllegalStateException("boom");
        StepVerifier.create(flux(sink -> {
            sink.emit("a");
            throw boom;
        })).expectNext("a").expectErrorSatisfies(e -> assertSame(boom, e)).verify(Duration.ofSeconds(5));
    }

    @Test
    void backpressureRequestOneAgainstAFastBody() {
        AtomicInteger emitted = new AtomicInteger();
        Flux<Integer> f = flux(sink -> {
            for (int i = 0; i < 1000; i++) {
                sink.emit(i); // as fast as it can
                emitted.incrementAndGet();
            }
        });
        StepVerifier.create(f, 1)
                .expectNext(0)
                .expectNoEvent(Duration.ofMillis(50))
                .then(() -> assertTrue(emitted.get() <= 1, "nothing past demand: " + emitted.get()))
                .thenRequest(1)
                .expectNext(1)
                .then(() -> assertTrue(emitted.get() <= 2, "nothing past demand: " + emitted.get()))
                .thenRequest(Long.MAX_VALUE)
                .expectNextCount(998)
                .verifyComplete();
        assertEquals(1000, emitted.get());
    }

    @Test
    void downstreamCancelRaisesCancelledErrorInTheBody() throws Exception {
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        Flux<Integer> f = flux(sink -> {
            try {
                for (int i = 0; ; i++) {
                    sink.emit(i);
                }
            } catch (CancelledError e) {
                seen.complete(e);
                throw e;
            }
        });
        StepVerifier.create(f.take(5)).expectNext(0, 1, 2, 3, 4).verifyComplete();
        assertInstanceOf(CancelledError.class, seen.get(5, TimeUnit.SECONDS));
    }

    @Test
    void nonPositiveRequestIsAnError() throws Exception {
        CompletableFuture<Throwable> error = new CompletableFuture<>();
        flux(sink -> sink.emit(1)).subscribe(new BaseSubscriber<Object>() {
            @Override
            protected void hookOnSubscribe(Subscription s) {
                s.request(0);
            }

            @Override
            protected void hookOnError(Throwable t) {
                error.complete(t);
            }
        });
        assertInstanceOf(IllegalArgumentException.class, error.get(5, TimeUnit.SECONDS));
    }

    @Test
    void boundedRaceOfCancelAgainstCompletion() throws Exception {
        // 200 rounds, each: a short flux completes while another thread cancels. At most a completion is
        // observed, never an error, and a producer that started always ends (one cancelled before its
        // task starts never runs).
        for (int i = 0; i < 200; i++) {
            CountDownLatch bodyEnded = new CountDownLatch(1);
            AtomicInteger started = new AtomicInteger();
            AtomicInteger terminal = new AtomicInteger();
            Flux<Integer> f = flux(sink -> {
                started.incrementAndGet();
                try {
                    sink.emit(1);
                    sink.emit(2);
                } finally {
                    bodyEnded.countDown();
                }
            });
            var d = f.doOnComplete(terminal::incrementAndGet).doOnError(e -> terminal.addAndGet(100)).subscribe();
            Thread canceller = Thread.ofPlatform().start(d::dispose);
            canceller.join();
            ReactorCoroutines.mono(() -> null).block(Duration.ofSeconds(5)); // the default loop has caught up
            if (started.get() == 1) {
                assertTrue(bodyEnded.await(5, TimeUnit.SECONDS), "a producer that started ends");
            } else {
                assertEquals(0, started.get());
            }
            assertTrue(terminal.get() <= 1, "never an error: " + terminal.get());
        }
    }
}
