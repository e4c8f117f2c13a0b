package dev.asyncio.rxjava3;

import dev.asyncio.internal.LoopInternals;
import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.rxjava3.RxCoroutines.await;
import static dev.asyncio.rxjava3.RxCoroutines.awaitFirst;
import static dev.asyncio.rxjava3.RxCoroutines.awaitLast;
import static dev.asyncio.rxjava3.RxCoroutines.awaitSingle;
import static dev.asyncio.rxjava3.RxCoroutines.iterate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import dev.asyncio.ExceptionContext;
import dev.asyncio.flow.PublisherIterator;
import dev.asyncio.flow.ReactiveStreamsViolation;
import io.reactivex.rxjava3.core.CompletableSource;
import io.reactivex.rxjava3.core.MaybeSource;
import io.reactivex.rxjava3.core.ObservableSource;
import io.reactivex.rxjava3.core.SingleSource;
import io.reactivex.rxjava3.disposables.Disposable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.subjects.PublishSubject;
import io.reactivex.rxjava3.subjects.SingleSubject;
import io.reactivex.rxjava3.processors.PublishProcessor;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RxAwaitTest {
    private final UndeliverableErrors undeliverable = new UndeliverableErrors();

    @AfterEach
    void resetPlugins() {
        undeliverable.close();
    }

    @Test
    void awaitSingleMaybeCompletable() {
        Asyncio.run(() -> {
            assertEquals(1, await(Single.just(1)));
            assertEquals("m", await(Maybe.just("m")));
            assertNull(await(Maybe.<String>empty()));
            AtomicBoolean ran = new AtomicBoolean();
            await(Completable.fromAction(() -> ran.set(true)));
            assertTrue(ran.get());
        });
    }

    @Test
    void synchronousSignalsOnTheTurnDoNotYield() {
        Asyncio.run(() -> {
            AtomicInteger steps = new AtomicInteger();
            Task<Void> other = Asyncio.createTask(() -> {
                steps.incrementAndGet();
            });
            assertEquals(5, await(Single.just(5)));
            assertEquals(0, steps.get(), "a Single that signals during subscribe is taken without a switch");
            other.await();
        });
    }

    @Test
    void signalsFromAnotherThreadResumeTheCoroutineOnItsLoop() {
        Asyncio.run(() -> {
            EventLoop mine = Asyncio.getRunningLoop();
            String v = await(Single.fromCallable(() -> Thread.currentThread().getName())
                    .subscribeOn(Schedulers.single()));
            assertTrue(v.contains("RxSingleScheduler"), v);
            assertTrue(LoopInternals.isOnTurn(mine));
            assertEquals(3L, (long) awaitLast(Observable.intervalRange(1, 3, 1, 1, TimeUnit.MILLISECONDS)));
            assertEquals(10, awaitLast(Flowable.range(1, 10).observeOn(Schedulers.computation())));
        });
    }

    @Test
    void errorsAreRethrownAsTheSameObject() {
        IOException boom = new IOException("boom");
        Asyncio.run(() -> {
            Exception e1 = assertThrows(Exception.class, () -> await(Single.error(boom)));
            assertSame(boom, e1);
            Exception e2 = assertThrows(Exception.class, () -> await(Maybe.error(boom)));
            assertSame(boom, e2);
            Exception e3 = assertThrows(Exception.class, () -> await(Completable.error(boom)));
            assertSame(boom, e3);
            Exception e4 = assertThrows(Exception.class, () -> awaitFirst(Observable.error(boom)));
            assertSame(boom, e4);
            Exception e5 = assertThrows(Exception.class, () -> awaitLast(Flowable.error(boom)));
            assertSame(boom, e5);
            Exception e6 = assertThrows(Exception.class,
                    () -> await(Single.error(boom).delay(1, TimeUnit.MILLISECONDS, Schedulers.single(), true)));
            assertSame(boom, e6);
        });
    }

    @Test
    void observableFirstLastSingle() {
        Asyncio.run(() -> {
            assertEquals(1, awaitFirst(Observable.just(1, 2, 3)));
            assertEquals(3, awaitLast(Observable.just(1, 2, 3)));
            assertEquals(7, awaitSingle(Observable.just(7)));
            assertThrows(NoSuchElementException.class, () -> awaitFirst(Observable.empty()));
            assertThrows(NoSuchElementException.class, () -> awaitLast(Observable.empty()));
            assertThrows(NoSuchElementException.class, () -> awaitSingle(Observable.empty()));
            AtomicBoolean disposed = new AtomicBoolean();
            assertThrows(IllegalArgumentException.class,
                    () -> awaitSingle(Observable.just(1, 2, 3).doOnDispose(() -> disposed.set(true))));
            assertTrue(disposed.get(), "a second element disposes the subscription");
            AtomicInteger seen = new AtomicInteger();
            assertEquals(0, awaitFirst(Observable.range(0, 1000).doOnNext(x -> seen.incrementAndGet())));
            assertEquals(1, seen.get(), "awaitFirst disposes after the first element");
        });
    }

    @Test
    void publisherFirstLastSingleRequestOnlyWhatTheyNeed() {
        Asyncio.run(() -> {
            List<Long> requests = new ArrayList<>();
            assertEquals(1, awaitFirst(Flowable.range(1, 100).doOnRequest(requests::add)));
            assertEquals(List.of(1L), requests);
            assertEquals(100, awaitLast(Flowable.range(1, 100)));
            assertEquals(5, awaitSingle(Flowable.just(5)));
            assertThrows(NoSuchElementException.class, () -> awaitFirst(Flowable.empty()));
            assertThrows(IllegalArgumentException.class, () -> awaitSingle(Flowable.just(1, 2)));
        });
    }

    @Test
    void cancellingTheAwaitingTaskDisposesTheSubscription() {
        Asyncio.run(() -> {
            AtomicInteger disposed = new AtomicInteger();
            SingleSubject<String> single = SingleSubject.create();
            PublishSubject<Integer> subject = PublishSubject.create();
            PublishProcessor<Integer> processor = PublishProcessor.create();
            List<Task<?>> waiters = List.of(
                    Asyncio.createTask(() -> await(single.doOnDispose(disposed::incrementAndGet))),
                    Asyncio.createTask(() -> await(Maybe.never().doOnDispose(disposed::incrementAndGet))),
                    Asyncio.createTask(() -> {
                        await(Completable.never().doOnDispose(disposed::incrementAndGet));
                    }),
                    Asyncio.createTask(() -> awaitLast(subject.doOnDispose(disposed::incrementAndGet))),
                    Asyncio.createTask(() -> awaitFirst(processor.doOnCancel(disposed::incrementAndGet))));
            sleep(Duration.ZERO);
            assertTrue(single.hasObservers() && subject.hasObservers() && processor.hasSubscribers());
            waiters.forEach(t -> t.cancel());
            for (Task<?> t : waiters) {
                assertThrows(CancelledError.class, t::await);
            }
            assertEquals(5, disposed.get());
            assertTrue(!single.hasObservers() && !subject.hasObservers() && !processor.hasSubscribers());
        });
        assertTrue(undeliverable.list().isEmpty(), undeliverable.list().toString());
    }

    @Test
    void iterateWithBoundedPrefetch() {
        Asyncio.run(() -> {
            List<Long> requests = new ArrayList<>();
            AtomicLong maxOutstanding = new AtomicLong();
            AtomicLong outstanding = new AtomicLong();
            Flowable<Integer> source = Flowable.range(0, 100)
                    .doOnRequest(n -> {
                        requests.add(n);
                        maxOutstanding.accumulateAndGet(outstanding.addAndGet(n), Math::max);
                    })
                    .doOnNext(x -> outstanding.decrementAndGet())
                    .subscribeOn(Schedulers.computation());
            int sum = 0;
            try (PublisherIterator<Integer> it = iterate(source, 8)) {
                for (int x : it) {
                    sum += x;
                }
            }
            assertEquals(4950, sum);
            assertEquals(8L, requests.get(0));
            assertTrue(maxOutstanding.get() <= 8, "never more than the prefetch outstanding: " + maxOutstanding);
        });
    }

    @Test
    void iterateCloseCancelsAndErrorsAreRethrown() {
        IOException boom = new IOException("boom");
        Asyncio.run(() -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            try (PublisherIterator<Integer> it = iterate(Flowable.range(0, 1_000_000).doOnCancel(() -> cancelled.set(true)))) {
                for (int x : it) {
                    if (x == 3) {
                        break;
                    }
                }
            }
            assertTrue(cancelled.get());
            List<Integer> got = new ArrayList<>();
            Exception e = assertThrows(Exception.class, () -> {
                for (int x : iterate(Flowable.just(1, 2).concatWith(Flowable.error(boom)))) {
                    got.add(x);
                }
            });
            assertSame(boom, e);
            assertEquals(List.of(1, 2), got);
        });
    }

    @Test
    void awaitingOutsideACoroutineIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> await(Single.just(1)));
        assertTrue(e.getMessage().contains("coroutine"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> awaitFirst(Flowable.just(1)));
        assertThrows(IllegalStateException.class, () -> RxCoroutines.asFuture(Single.just(1)));
    }

    @Test
    void lateErrorAfterCancelGoesToRxJavaPlugins() {
        IOException late = new IOException("late");
        AtomicReference<io.reactivex.rxjava3.core.SingleObserver<? super String>> captured = new AtomicReference<>();
        Single<String> rogue = new Single<>() {
            @Override
            protected void subscribeActual(io.reactivex.rxjava3.core.SingleObserver<? super String> observer) {
                observer.onSubscribe(io.reactivex.rxjava3.disposables.Disposable.empty());
                captured.set(observer);
            }
        };
        Asyncio.run(() -> {
            Task<String> t = Asyncio.createTask(() -> await(rogue));
            sleep(Duration.ZERO);
            t.cancel();
            assertThrows(CancelledError.class, t::await);
            captured.get().onError(late); // a source that ignores dispose
            sleep(Duration.ZERO);
        });
        assertEquals(List.of(late), undeliverable.list());
    }

    // ---- sources that break their protocol: the coroutine fails with a clear error and the loop hears of it

    /** The loop's exception handler, collecting what is reported to it; on the loop's turn. */
    private static List<ExceptionContext> collectReports() {
        List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
        Asyncio.getRunningLoop().setExceptionHandler((loop, context) -> reports.add(context));
        return reports;
    }

    @Test
    void nullValuesAndErrorsFailTheAwaitOfEverySourceType() {
        SingleSource<String> nullSingle = o -> {
            o.onSubscribe(Disposable.empty());
            o.onSuccess(null);
        };
        SingleSource<String> nullSingleError = o -> {
            o.onSubscribe(Disposable.empty());
            o.onError(null);
        };
        MaybeSource<String> nullMaybe = o -> {
            o.onSubscribe(Disposable.empty());
            o.onSuccess(null);
        };
        CompletableSource nullCompletableError = o -> {
            o.onSubscribe(Disposable.empty());
            o.onError(null);
        };
        ObservableSource<String> nullObservable = o -> {
            o.onSubscribe(Disposable.empty());
            o.onNext(null);
        };
        Asyncio.run(() -> {
            List<ExceptionContext> reports = collectReports();
            List<NullPointerException> failures = List.of(
                    assertThrows(NullPointerException.class, () -> await(nullSingle)),
                    assertThrows(NullPointerException.class, () -> await(nullSingleError)),
                    assertThrows(NullPointerException.class, () -> await(nullMaybe)),
                    assertThrows(NullPointerException.class, () -> await(nullCompletableError)),
                    assertThrows(NullPointerException.class, () -> awaitFirst(nullObservable)),
                    assertThrows(NullPointerException.class, () -> awaitLast(nullObservable)));
            failures.forEach(e -> assertTrue(e.getMessage().contains("null)"), e.getMessage()));
            assertEquals(6, reports.size(), () -> "one report per broken source: " + reports);
            for (int i = 0; i < 6; i++) {
                assertSame(failures.get(i), reports.get(i).exception());
            }
        });
    }

    @Test
    void aNullFromAnotherThreadFailsTheAwaiterInsteadOfLeavingItWaiting() {
        SingleSource<String> late = o -> {
            o.onSubscribe(Disposable.empty());
            Thread.ofPlatform().start(() -> o.onSuccess(null));
        };
        Asyncio.run(() -> {
            List<ExceptionContext> reports = collectReports();
            NullPointerException e = assertThrows(NullPointerException.class, () -> await(late));
            assertTrue(e.getMessage().contains("onSuccess(null)"), e.getMessage());
            assertEquals(1, reports.size());
        });
    }

    /** A Flowable-like publisher that sends {@code items} on the first request, whatever was requested. */
    private static Publisher<String> sending(List<String> items, List<String> events) {
        return subscriber -> subscriber.onSubscribe(new Subscription() {
            boolean sent;

            @Override
            public void request(long n) {
                events.add("request " + n);
                if (!sent) {
                    sent = true;
                    for (String item : items) {
                        try {
                            subscriber.onNext(item);
                        } catch (NullPointerException thrownBack) { // rule 2.13: the subscriber throws it back
                            events.add("NPE");
                        }
                    }
                }
            }

            @Override
            public void cancel() {
                events.add("cancel");
            }
        });
    }

    @Test
    void aPublisherThatSendsNullOrTooMuchFailsAwaitAndIterate() {
        Asyncio.run(() -> {
            List<ExceptionContext> reports = collectReports();
            List<String> events = new CopyOnWriteArrayList<>();
            ReactiveStreamsViolation nullItem = assertThrows(ReactiveStreamsViolation.class,
                    () -> awaitLast(sending(java.util.Arrays.asList("a", null), events)));
            assertEquals("2.13", nullItem.rule());
            assertTrue(events.contains("NPE"), () -> "the null is thrown back to the publisher: " + events);
            List<String> seen = new ArrayList<>();
            ReactiveStreamsViolation overflow = assertThrows(ReactiveStreamsViolation.class, () -> {
                try (PublisherIterator<String> items = iterate(sending(List.of("a", "b", "c"), events), 2)) {
                    for (String item : items) {
                        seen.add(item);
                    }
                }
            });
            assertEquals("1.1", overflow.rule());
            assertEquals(List.of("a", "b"), seen, "what came within the demand is delivered first");
            assertTrue(events.contains("cancel"), () -> "the broken subscription is cancelled: " + events);
            assertEquals(2, reports.size(), () -> "one report per subscriber: " + reports);
        });
    }
}
