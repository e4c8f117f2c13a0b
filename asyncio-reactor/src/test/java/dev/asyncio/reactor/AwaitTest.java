package dev.asyncio.reactor;

import static dev.asyncio.reactor.ReactorCoroutines.await;
import static dev.asyncio.reactor.ReactorCoroutines.awaitFirst;
import static dev.asyncio.reactor.ReactorCoroutines.awaitFirstOrNull;
import static dev.asyncio.reactor.ReactorCoroutines.awaitLast;
import static dev.asyncio.reactor.ReactorCoroutines.awaitSingle;
import static dev.asyncio.reactor.ReactorCoroutines.awaitSingleOrNull;
import static dev.asyncio.reactor.ReactorCoroutines.flux;
import static dev.asyncio.reactor.ReactorCoroutines.iterate;
import static dev.asyncio.reactor.ReactorCoroutines.mono;
import static dev.asyncio.reactor.ReactorCoroutines.toMono;
import static dev.asyncio.reactor.ReactorCoroutines.toTask;
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
import dev.asyncio.ExceptionContext;
import dev.asyncio.flow.PublisherIterator;
import dev.asyncio.flow.ReactiveStreamsViolation;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.test.publisher.TestPublisher;
import reactor.test.publisher.TestPublisher.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class AwaitTest {

    @Test
    void awaitMonoValueEmptyAndError() {
        IllegalStateException boom = new IllegalStateException("boom");
        Asyncio.run(() -> {
            assertEquals("x", await(Mono.just("x")));
            assertNull(await(Mono.empty()));
            assertSame(boom, assertThrows(IllegalStateException.class, () -> await(Mono.error(boom))));
            // a Mono completed on another thread, delivered onto this loop
            assertEquals(5, await(Mono.fromCallable(() -> 5).subscribeOn(Schedulers.boundedElastic())));
        });
    }

    @Test
    void awaitFirstLastSingleOnFlux() {
        Asyncio.run(() -> {
            assertEquals(1, awaitFirst(Flux.range(1, 10)));
            assertEquals(10, awaitLast(Flux.range(1, 10)));
            assertEquals(3, awaitSingle(Flux.just(3)));
            assertNull(awaitFirstOrNull(Flux.empty()));
            assertNull(awaitSingleOrNull(Flux.empty()));
            assertThrows(NoSuchElementException.class, () -> awaitFirst(Flux.empty()));
            assertThrows(IllegalArgumentException.class, () -> awaitSingle(Flux.range(1, 2)));
            // foreign threads, many elements: delivered onto the loop in order
            assertEquals(9999, awaitLast(Flux.range(0, 10_000).publishOn(Schedulers.parallel())));
        });
    }

    @Test
    void awaitFirstCancelsTheRest() {
        Asyncio.run(() -> {
            CompletableFuture<Boolean> cancelled = new CompletableFuture<>();
            assertEquals(0, awaitFirst(Flux.interval(Duration.ofMillis(1)).doOnCancel(() -> cancelled.complete(true))));
            assertTrue(cancelled.get(5, TimeUnit.SECONDS));
        });
    }

    @Test
    void cancellingTheAwaitingTaskCancelsTheSubscription() {
        Asyncio.run(() -> {
            CompletableFuture<Boolean> cancelled = new CompletableFuture<>();
            Task<Object> t = Asyncio.createTask(() -> await(Mono.never().doOnCancel(() -> cancelled.complete(true))));
            Asyncio.sleep(Duration.ZERO);
            Asyncio.sleep(Duration.ZERO);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertTrue(cancelled.getNow(false));
        });
    }

    @Test
    void iterateWithPrefetchAndEarlyExit() {
        Asyncio.run(() -> {
            List<Long> requests = new ArrayList<>();
            List<Integer> got = new ArrayList<>();
            CompletableFuture<Boolean> cancelled = new CompletableFuture<>();
            try (PublisherIterator<Integer> it = iterate(Flux.range(0, 1000)
                    .doOnRequest(requests::add).doOnCancel(() -> cancelled.complete(true)), 8)) {
                for (int v : it) {
                    got.add(v);
                    if (v == 20) {
                        break;
                    }
                }
            }
            assertEquals(21, got.size());
            assertTrue(cancelled.getNow(false), "leaving the try block cancels");
            assertEquals(8L, requests.get(0));
            assertTrue(requests.stream().allMatch(n -> n <= 8), "bounded prefetch: " + requests);
            // a flux built from a coroutine on the same loop, iterated to the end
            int sum = 0;
            for (int v : iterate(ReactorCoroutines.<Integer>flux(sink -> {
                for (int i = 1; i <= 100; i++) {
                    sink.emit(i);
                }
            }))) {
                sum += v;
            }
            assertEquals(5050, sum);
        });
    }

    @Test
    void futureAndTaskToMonoWithCancellationBothWays() throws Exception {
        EventLoop loop = ReactorCoroutines.defaultLoop();
        // Mono cancelled -> task cancelled
        CompletableFuture<Task<Object>> taskOut = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> taskOut.complete(loop.createTask(() -> {
            Asyncio.sleep(Duration.ofDays(1));
            return null;
        })));
        Task<Object> task = taskOut.get(5, TimeUnit.SECONDS);
        StepVerifier.create(toMono(task)).expectSubscription().thenCancel().verify(Duration.ofSeconds(5));
        mono(() -> null).block(Duration.ofSeconds(5));
        assertTrue(task.isCancelled(), "cancelling the Mono cancelled the task");
        // task cancelled -> Mono errors with CancelledError; result and exception pass through
        CompletableFuture<Future<String>> futureOut = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> futureOut.complete(loop.createFuture()));
        Future<String> f = futureOut.get(5, TimeUnit.SECONDS);
        StepVerifier.create(toMono(f))
                .then(() -> loop.callSoonThreadsafe(f::cancel))
                .expectError(CancelledError.class)
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(mono(() -> {
            Future<String> ok = Asyncio.getRunningLoop().createFuture();
            Asyncio.getRunningLoop().callSoon(() -> ok.setResult("done"));
            return await(toMono(ok));
        })).expectNext("done").verifyComplete();
        // Mono -> task, cancelling the task cancels the subscription
        Asyncio.run(() -> {
            assertEquals(3, toTask(Mono.just(3)).await());
            CompletableFuture<Boolean> cancelled = new CompletableFuture<>();
            Task<Object> t = toTask(Mono.never().doOnCancel(() -> cancelled.complete(true)));
            Asyncio.sleep(Duration.ZERO);
            Asyncio.sleep(Duration.ZERO);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            assertTrue(cancelled.getNow(false));
        });
    }

    @Test
    void awaitOutsideACoroutineIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> await(Mono.just(1)));
        assertTrue(e.getMessage().contains("coroutine") || e.getMessage().contains("event loop"), e.getMessage());
        assertInstanceOf(IllegalStateException.class, e);
    }

    // ---- publishers that break the Reactive Streams rules: the awaiter fails or the breach is reported, never a hang

    /** The loop's exception handler, collecting what is reported to it; on the loop's turn. */
    private static List<ExceptionContext> collectReports() {
        List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
        Asyncio.getRunningLoop().setExceptionHandler((loop, context) -> reports.add(context));
        return reports;
    }

    private static String rule(ExceptionContext c) {
        return assertInstanceOf(ReactiveStreamsViolation.class, c.exception()).rule();
    }

    /** Subscribes {@code awaiting} in a task of its own and lets it wait. */
    private static <T> Task<T> waiting(dev.asyncio.Coroutine<T> awaiting) {
        Task<T> t = Asyncio.createTask(awaiting);
        Asyncio.sleep(Duration.ZERO);
        return t;
    }

    @Test
    void aNullElementFailsEveryKindOfAwaitAndIsReported() {
        Asyncio.run(() -> {
            List<ExceptionContext> reports = collectReports();
            for (String kind : List.of("awaitFirst", "awaitLast", "awaitSingle", "await(mono)", "iterate")) {
                TestPublisher<String> tp = TestPublisher.createNoncompliant(Violation.ALLOW_NULL);
                Task<String> t = waiting(() -> switch (kind) {
                    case "awaitFirst" -> awaitFirst(tp);
                    case "awaitLast" -> awaitLast(tp);
                    case "awaitSingle" -> awaitSingle(tp);
                    case "await(mono)" -> await(Mono.fromDirect(tp));
                    default -> {
                        try (PublisherIterator<String> items = iterate(tp)) {
                            for (String item : items) {
                                assertEquals("a", item);
                            }
                        }
                        yield "ended";
                    }
                });
                if (!kind.equals("awaitFirst") && !kind.equals("await(mono)")) {
                    tp.next("a");
                }
                assertThrows(NullPointerException.class, () -> tp.next(null), "rule 2.13: thrown back to the publisher");
                ReactiveStreamsViolation v = assertThrows(ReactiveStreamsViolation.class, t::await, kind);
                assertEquals("2.13", v.rule());
                assertTrue(v.getMessage().contains("onNext(null)"), v.getMessage());
                tp.assertCancelled();
            }
            assertEquals(5, reports.size(), () -> "one report per subscriber: " + reports);
            reports.forEach(c -> assertEquals("2.13", rule(c)));
        });
    }

    @Test
    void aNullErrorFailsTheAwaiter() {
        Asyncio.run(() -> {
            List<ExceptionContext> reports = collectReports();
            // TestPublisher refuses error(null) itself: a publisher that does it, on another thread.
            List<Throwable> thrownBack = new CopyOnWriteArrayList<>();
            org.reactivestreams.Publisher<String> nullError = subscriber -> {
                subscriber.onSubscribe(new org.reactivestreams.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                Thread.ofPlatform().start(() -> {
                    try {
                        subscriber.onError(null);
                    } catch (NullPointerException e) {
                        thrownBack.add(e);
                    }
                });
            };
            Task<String> t = Asyncio.createTask(() -> awaitLast(nullError));
            ReactiveStreamsViolation v = assertThrows(ReactiveStreamsViolation.class, t::await);
            assertTrue(v.getMessage().contains("onError(null)"), v.getMessage());
            assertEquals(1, reports.size());
            assertSame(t, reports.get(0).future(), "the report names the awaiting task");
        });
    }

    @Test
    void moreElementsThanRequestedFailTheIteration() {
        Asyncio.run(() -> {
            List<ExceptionContext> reports = collectReports();
            TestPublisher<String> tp = TestPublisher.createNoncompliant(Violation.REQUEST_OVERFLOW);
            List<String> seen = new ArrayList<>();
            Task<Void> t = waiting(() -> {
                try (PublisherIterator<String> items = iterate(tp, 1)) {
                    for (String item : items) {
                        seen.add(item);
                    }
                }
                return null;
            });
            tp.next("a", "b"); // one requested, two sent
            ReactiveStreamsViolation v = assertThrows(ReactiveStreamsViolation.class, t::await);
            assertEquals("1.1", v.rule());
            assertEquals(List.of("a"), seen, "what was delivered within the demand is not lost");
            tp.assertCancelled();
            assertEquals(1, reports.size());
        });
    }

    @Test
    void signalsAfterTheTerminalOneAreReportedAndTheOutcomeStands() {
        Asyncio.run(() -> {
            List<ExceptionContext> reports = collectReports();
            TestPublisher<String> tp = TestPublisher.createNoncompliant(Violation.CLEANUP_ON_TERMINATE);
            Task<String> t = waiting(() -> awaitLast(tp));
            tp.next("a").complete().next("b").error(new IllegalStateException("late"));
            assertEquals("a", t.await());
            assertEquals(1, reports.size(), () -> "the first breach of the subscriber is reported: " + reports);
            assertEquals("1.7", rule(reports.get(0)));
        });
    }

    @Test
    void elementsSentAfterACancelBeyondTheDemandAreReported() {
        Asyncio.run(() -> {
            List<ExceptionContext> reports = collectReports();
            TestPublisher<String> tp = TestPublisher.createNoncompliant(Violation.DEFER_CANCELLATION, Violation.REQUEST_OVERFLOW);
            Task<String> t = waiting(() -> awaitFirst(tp));
            tp.next("a", "b", "c");
            assertEquals("a", t.await());
            assertEquals(1, reports.size(), () -> "reported once per subscriber: " + reports);
            assertEquals("1.1", rule(reports.get(0)));
        });
    }

    @Test
    void aSecondSubscriptionIsCancelledAndReported() {
        Asyncio.run(() -> {
            List<ExceptionContext> reports = collectReports();
            List<String> cancelled = new CopyOnWriteArrayList<>();
            org.reactivestreams.Publisher<String> twice = subscriber -> {
                for (String name : List.of("first", "second")) {
                    subscriber.onSubscribe(new org.reactivestreams.Subscription() {
                        @Override
                        public void request(long n) {
                            if (name.equals("first")) {
                                subscriber.onNext("x");
                                subscriber.onComplete();
                            }
                        }

                        @Override
                        public void cancel() {
                            cancelled.add(name);
                        }
                    });
                }
            };
            Task<String> t = Asyncio.createTask(() -> awaitLast(twice));
            assertEquals("x", t.await());
            assertEquals(List.of("second"), cancelled);
            assertEquals(1, reports.size());
            assertEquals("2.5", rule(reports.get(0)));
        });
    }
}
