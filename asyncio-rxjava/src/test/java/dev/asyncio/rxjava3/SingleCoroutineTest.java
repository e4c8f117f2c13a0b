package dev.asyncio.rxjava3;

import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.rxjava3.RxCoroutines.await;
import static dev.asyncio.rxjava3.RxCoroutines.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.ContextVar;
import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import dev.asyncio.TimeoutError;
import dev.asyncio.internal.LoopInternals;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.core.SingleObserver;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.observers.TestObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SingleCoroutineTest {
    private final UndeliverableErrors undeliverable = new UndeliverableErrors();

    @AfterEach
    void resetPlugins() {
        undeliverable.close();
    }

    @Test
    void valueReachesTheSubscriberFromTheDefaultLoop() throws Exception {
        AtomicReference<EventLoop> ranOn = new AtomicReference<>();
        TestObserver<Integer> to = single(() -> {
            ranOn.set(Asyncio.getRunningLoop());
            sleep(Duration.ofMillis(5));
            return 42;
        }).test();
        to.await(5, TimeUnit.SECONDS);
        to.assertValue(42).assertComplete();
        assertSame(RxCoroutines.defaultLoop(), ranOn.get());
        assertTrue(undeliverable.list().isEmpty());
    }

    @Test
    void nullResultIsANullPointerException() throws Exception {
        TestObserver<Object> to = single(() -> null).test();
        to.await(5, TimeUnit.SECONDS);
        to.assertNoValues().assertError(e -> e instanceof NullPointerException && e.getMessage().contains("maybe()"));
    }

    @Test
    void checkedErrorArrivesAsTheSameObject() throws Exception {
        IOException boom = new IOException("boom");
        TestObserver<Object> to = single(() -> {
            sleep(Duration.ZERO);
            throw boom;
        }).test();
        to.await(5, TimeUnit.SECONDS);
        to.assertError(boom);
        assertTrue(undeliverable.list().isEmpty(), "a delivered error is not reported again");
    }

    @Test
    void coldOneTaskPerSubscription() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Single<Integer> s = single(runs::incrementAndGet);
        assertEquals(0, runs.get(), "nothing runs before a subscription");
        TestObserver<Integer> a = s.test();
        TestObserver<Integer> b = s.test();
        a.await(5, TimeUnit.SECONDS);
        b.await(5, TimeUnit.SECONDS);
        assertEquals(2, runs.get());
        assertEquals(3, a.values().get(0) + b.values().get(0));
    }

    @Test
    void subscriberDisposeCancelsTheTaskSilently() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        TestObserver<String> to = single(() -> {
            started.countDown();
            try {
                sleep(Duration.ofHours(1));
            } catch (CancelledError e) {
                cancelled.countDown();
                throw e;
            }
            return "never";
        }).test();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        to.dispose();
        assertTrue(cancelled.await(5, TimeUnit.SECONDS), "dispose cancels the coroutine's task");
        to.assertNoValues().assertNoErrors().assertNotComplete();
        assertTrue(undeliverable.list().isEmpty(), "cancellation is not reported: " + undeliverable.list());
    }

    @Test
    void disposeInsideOnSubscribeNeverStartsTheCoroutine() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        single(runs::incrementAndGet).subscribe(new SingleObserver<>() {
            @Override
            public void onSubscribe(Disposable d) {
                d.dispose();
            }

            @Override
            public void onSuccess(Integer v) {
                fail("no signal after dispose");
            }

            @Override
            public void onError(Throwable e) {
                fail("no signal after dispose");
            }
        });
        // Two round trips through the default loop: the creation callback has run by then.
        RxCoroutines.defaultLoop().runCoroutineThreadsafe(() -> null).get(5, TimeUnit.SECONDS);
        RxCoroutines.defaultLoop().runCoroutineThreadsafe(() -> null).get(5, TimeUnit.SECONDS);
        assertEquals(0, runs.get());
    }

    @Test
    void taskCancelledFromTheLoopSideIsAnErrorForTheSubscriber() {
        Asyncio.run(() -> {
            TestObserver<String> to = new TestObserver<>();
            single(() -> {
                sleep(Duration.ofHours(1));
                return "never";
            }).subscribe(to);
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            Task<?> me = Asyncio.currentTask();
            for (Task<?> t : Asyncio.allTasks()) {
                if (t != me) {
                    t.cancel("shut down");
                }
            }
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            to.assertNoValues().assertError(e -> e instanceof CancelledError && "shut down".equals(e.getMessage()));
        });
    }

    @Test
    void subscribedInsideACoroutineRunsOnThatLoopAndSignalsOnItsTurn() {
        Asyncio.run(() -> {
            EventLoop mine = Asyncio.getRunningLoop();
            AtomicReference<EventLoop> ranOn = new AtomicReference<>();
            AtomicReference<Boolean> signalledOnTurn = new AtomicReference<>();
            Single<String> s = single(() -> {
                ranOn.set(Asyncio.getRunningLoop());
                return "here";
            });
            String v = await(s.doOnSuccess(x -> signalledOnTurn.set(LoopInternals.isOnTurn(mine))));
            assertEquals("here", v);
            assertSame(mine, ranOn.get());
            assertTrue(signalledOnTurn.get());
        });
    }

    @Test
    void explicitLoopRunsThereAndAClosedLoopFailsTheSubscriber() throws Exception {
        EventLoop loop = new EventLoop();
        Thread host = Thread.ofPlatform().start(loop::runForever);
        try {
            AtomicReference<EventLoop> ranOn = new AtomicReference<>();
            TestObserver<Integer> to = single(loop, () -> {
                ranOn.set(Asyncio.getRunningLoop());
                return 7;
            }).test();
            to.await(5, TimeUnit.SECONDS);
            to.assertValue(7);
            assertSame(loop, ranOn.get());
        } finally {
            loop.stop();
            host.join();
            loop.close();
        }
        TestObserver<Integer> closed = single(loop, () -> 1).test();
        closed.assertError(IllegalStateException.class);
    }

    @Test
    void errorAfterDisposeGoesToRxJavaPlugins() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        IOException late = new IOException("late");
        TestObserver<String> to = single(() -> {
            started.countDown();
            try {
                sleep(Duration.ofHours(1));
            } catch (CancelledError e) {
                done.countDown();
                throw late;
            }
            return "never";
        }).test();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        to.dispose();
        assertTrue(done.await(5, TimeUnit.SECONDS));
        RxCoroutines.defaultLoop().runCoroutineThreadsafe(() -> null).get(5, TimeUnit.SECONDS);
        assertEquals(java.util.List.of(late), undeliverable.list());
        to.assertNoErrors();
    }

    @Test
    void throwingOnSuccessGoesToRxJavaPlugins() throws Exception {
        IllegalStateException bug = new IllegalStateException("observer bug");
        CountDownLatch called = new CountDownLatch(1);
        single(() -> "v").subscribe(v -> {
            called.countDown();
            throw bug;
        }, e -> fail("onError must not follow a throwing onSuccess"));
        assertTrue(called.await(5, TimeUnit.SECONDS));
        RxCoroutines.defaultLoop().runCoroutineThreadsafe(() -> null).get(5, TimeUnit.SECONDS);
        assertEquals(1, undeliverable.list().size());
        assertInstanceOf(Throwable.class, undeliverable.list().get(0));
    }

    /** Dispose from another thread races the coroutine's completion: one outcome, never both, nothing reported. */
    @Test
    void disposeRacingCompletion() throws Exception {
        Random random = new Random(20240611L);
        int delivered = 0;
        for (int i = 0; i < 300; i++) {
            long waitNanos = random.nextInt(1_000_000);
            int value = i;
            TestObserver<Integer> to = single(() -> {
                if (value % 2 == 0) {
                    sleep(Duration.ZERO);
                }
                return value;
            }).test();
            Races.spinFor(waitNanos);
            to.dispose();
            RxCoroutines.defaultLoop().runCoroutineThreadsafe(() -> null).get(5, TimeUnit.SECONDS);
            to.assertNoErrors();
            if (to.values().isEmpty()) {
                to.assertNotComplete();
            } else {
                to.assertValue(value);
                delivered++;
            }
        }
        assertTrue(undeliverable.list().isEmpty(), undeliverable.list().toString());
        System.out.println("SingleCoroutineTest.disposeRacingCompletion: delivered " + delivered + " of 300");
    }

    // ------------------------------------------------------------------ awaited from a coroutine: a call

    @Test
    void awaitedOnItsLoopTheCoroutineRunsInTheAwaitingTaskWithoutATaskOfItsOwn() {
        Asyncio.run(() -> {
            Task<?> me = Asyncio.currentTask();
            int tasks = Asyncio.allTasks().size();
            assertSame(me, await(single(() -> {
                sleep(Duration.ZERO);
                assertEquals(tasks, Asyncio.allTasks().size(), "no task was created for the body");
                return Asyncio.currentTask();
            })));
            assertSame(me, await(single(Asyncio.getRunningLoop(), Asyncio::currentTask)));
            // Behind an operator it is an ordinary subscription: a task of its own.
            assertNotSame(me, await(single(Asyncio::currentTask).hide()));
        });
    }

    @Test
    void awaitedInlineTheBodysContextVarChangesStayInside() {
        ContextVar<String> var = new ContextVar<>("inline-test");
        Asyncio.run(() -> {
            var.set("outer");
            String seen = await(single(() -> {
                String before = var.get();
                var.set("inner");
                sleep(Duration.ZERO);
                return before + "/" + var.get();
            }));
            assertEquals("outer/inner", seen);
            assertEquals("outer", var.get());
        });
    }

    @Test
    void awaitedInlineATimeoutReachesTheBodyAndItsCleanUpRunsBeforeTheAwaitEnds() {
        List<String> order = new ArrayList<>();
        Asyncio.run(() -> {
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(Duration.ofMillis(5), (Coroutine<Integer>) () ->
                    await(single(() -> {
                        try {
                            sleep(Duration.ofDays(1));
                            return 1;
                        } finally {
                            order.add("body cleaned up");
                        }
                    }))));
            order.add("await ended");
        });
        assertEquals(List.of("body cleaned up", "await ended"), order);
    }

    @Test
    void awaitedInlineNullAndErrorsAreWhatASubscriberWouldGet() {
        IOException io = new IOException("checked");
        Asyncio.run(() -> {
            NullPointerException npe = assertThrows(NullPointerException.class, () -> await(single(() -> null)));
            assertTrue(npe.getMessage().contains("maybe()"), npe.getMessage());
            assertSame(io, assertThrows(IOException.class, () -> await(single(() -> {
                throw io;
            }))));
        });
    }
}
