package dev.asyncio.rxjava3;

import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.rxjava3.RxCoroutines.await;
import static dev.asyncio.rxjava3.RxCoroutines.flowable;
import static dev.asyncio.rxjava3.RxCoroutines.observable;
import static dev.asyncio.rxjava3.RxCoroutines.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.flow.FlowSink;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.observers.TestObserver;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import io.reactivex.rxjava3.schedulers.TestScheduler;
import io.reactivex.rxjava3.subscribers.TestSubscriber;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link TestScheduler} installed as the computation scheduler drives coroutine sleeps: each
 * {@code advanceTimeBy} returns only once the coroutines have caught up, so the assertions right after
 * it need no waiting.
 */
class VirtualTimeTest {
    private UndeliverableErrors undeliverable;
    private TestScheduler scheduler;

    @BeforeEach
    void installTestScheduler() {
        undeliverable = new UndeliverableErrors();
        scheduler = new TestScheduler();
        RxJavaPlugins.setComputationSchedulerHandler(s -> scheduler);
    }

    @AfterEach
    void reset() {
        undeliverable.close();
    }

    @Test
    void anHourLongSleepCompletesWhenTheSchedulerAdvancesAnHour() {
        AtomicBoolean virtualClock = new AtomicBoolean();
        TestObserver<String> to = single(() -> {
            virtualClock.set(dev.asyncio.Asyncio.getRunningLoop().getClock().isVirtual());
            sleep(Duration.ofHours(1));
            return "done";
        }).test();
        to.assertEmpty();
        scheduler.advanceTimeBy(59, TimeUnit.MINUTES);
        to.assertEmpty();
        scheduler.advanceTimeBy(1, TimeUnit.MINUTES);
        to.assertValue("done").assertComplete();
        // An hour of virtual time, not of real time: the loop's clock is the scheduler's (and the observer was still
        // empty at 59 minutes, complete at 60), checked without a stopwatch.
        assertTrue(virtualClock.get(), "the coroutine's loop ran on the test scheduler's clock");
    }

    @Test
    void severalDeadlinesInsideOneAdvanceFireInOrder() {
        List<String> log = new CopyOnWriteArrayList<>();
        TestObserver<Integer> to = single(() -> {
            for (int i = 1; i <= 3; i++) {
                sleep(Duration.ofMinutes(10));
                log.add("woke at " + scheduler.now(TimeUnit.MINUTES) + " min");
            }
            return 3;
        }).test();
        scheduler.advanceTimeBy(1, TimeUnit.HOURS);
        to.assertValue(3);
        assertEquals(List.of("woke at 10 min", "woke at 20 min", "woke at 30 min"), log);
        assertEquals(60, scheduler.now(TimeUnit.MINUTES));
    }

    @Test
    void theLoopsClockIsTheSchedulersAndRxTimersShareIt() {
        AtomicReference<Double> loopTime = new AtomicReference<>();
        TestObserver<Long> to = single(() -> {
            await(Single.timer(30, TimeUnit.MINUTES)); // on the computation scheduler, i.e. the TestScheduler
            sleep(Duration.ofMinutes(30));
            loopTime.set(Asyncio.getRunningLoop().time());
            return scheduler.now(TimeUnit.MINUTES);
        }).test();
        scheduler.advanceTimeBy(45, TimeUnit.MINUTES);
        to.assertEmpty();
        scheduler.advanceTimeBy(15, TimeUnit.MINUTES);
        to.assertValue(60L);
        assertEquals(3600.0, loopTime.get(), 1e-6);
    }

    @Test
    void observableEmissionsAppearExactlyAtTheirTime() {
        TestObserver<Integer> to = observable((dev.asyncio.rxjava3.ObservableSink<Integer> sink) -> {
            for (int i = 1; i <= 3; i++) {
                sleep(Duration.ofSeconds(1));
                sink.emit(i);
            }
        }).test();
        to.assertEmpty();
        scheduler.advanceTimeBy(1, TimeUnit.SECONDS);
        to.assertValues(1);
        scheduler.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
        to.assertValues(1, 2);
        scheduler.advanceTimeBy(500, TimeUnit.MILLISECONDS);
        to.assertValues(1, 2, 3).assertComplete();
    }

    @Test
    void flowableUnderVirtualTimeWithRequestOne() {
        TestSubscriber<Integer> ts = flowable((FlowSink<Integer> sink) -> {
            for (int i = 1; i <= 3; i++) {
                sleep(Duration.ofMinutes(1));
                sink.emit(i);
            }
        }).test(0);
        scheduler.advanceTimeBy(1, TimeUnit.MINUTES);
        ts.assertNoValues(); // the first element waits for demand
        ts.request(1);
        ts.assertValues(1); // request(1) returns once the loop has delivered
        scheduler.advanceTimeBy(10, TimeUnit.MINUTES);
        ts.assertValues(1);
        ts.request(2);
        ts.assertValues(1, 2);
        scheduler.advanceTimeBy(1, TimeUnit.MINUTES);
        ts.assertValues(1, 2, 3).assertComplete();
    }

    @Test
    void disposeUnderVirtualTimeUnwindsTheCoroutineBeforeReturning() {
        AtomicBoolean cancelled = new AtomicBoolean();
        TestObserver<String> to = single(() -> {
            try {
                sleep(Duration.ofHours(1));
            } catch (CancelledError e) {
                cancelled.set(true);
                throw e;
            }
            return "never";
        }).test();
        to.dispose();
        assertTrue(cancelled.get(), "dispose() returned after the coroutine had seen its CancelledError");
        scheduler.advanceTimeBy(2, TimeUnit.HOURS);
        to.assertEmpty();
        assertTrue(undeliverable.list().isEmpty(), undeliverable.list().toString());
    }

    @Test
    void manySleepersAndAHugeAdvance() {
        List<TestObserver<Integer>> observers = new java.util.ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            int minutes = i;
            observers.add(single(() -> {
                sleep(Duration.ofMinutes(minutes));
                return minutes;
            }).test());
        }
        scheduler.advanceTimeBy(50, TimeUnit.MINUTES);
        for (int i = 1; i <= 100; i++) {
            if (i <= 50) {
                observers.get(i - 1).assertValue(i);
            } else {
                observers.get(i - 1).assertEmpty();
            }
        }
        scheduler.advanceTimeBy(365, TimeUnit.DAYS);
        observers.forEach(TestObserver::assertComplete);
    }

    @Test
    void awaitingRxTimedSourcesInsideACoroutineIsSynchronousToo() {
        TestObserver<Long> to = single(() -> {
            long last = RxCoroutines.awaitLast(io.reactivex.rxjava3.core.Flowable.interval(1, TimeUnit.MINUTES).take(3));
            long first = RxCoroutines.awaitFirst(io.reactivex.rxjava3.core.Observable.timer(1, TimeUnit.MINUTES));
            return last * 10 + first;
        }).test();
        scheduler.advanceTimeBy(2, TimeUnit.MINUTES);
        to.assertEmpty();
        scheduler.advanceTimeBy(1, TimeUnit.MINUTES);
        to.assertEmpty();
        scheduler.advanceTimeBy(1, TimeUnit.MINUTES);
        to.assertValue(20L);
    }

    @Test
    void aLoopOfYourOwnOnASchedulerClock() throws Exception {
        TestScheduler own = new TestScheduler();
        SchedulerClock clock = new SchedulerClock(own);
        EventLoop loop = new EventLoop(clock);
        Thread host = Thread.ofPlatform().start(loop::runForever);
        EventLoop second = new EventLoop(clock);
        try {
            // Lockstep needs a running loop: wait until the host thread has started it.
            loop.runCoroutineThreadsafe(() -> null).get(5, TimeUnit.SECONDS);
            TestObserver<Integer> to = single(loop, () -> {
                sleep(Duration.ofMinutes(1));
                return 5;
            }).test();
            own.advanceTimeBy(59, TimeUnit.SECONDS);
            to.assertEmpty();
            own.advanceTimeBy(1, TimeUnit.SECONDS);
            to.assertValue(5);
            single(second, () -> 1).test()
                    .assertError(e -> e instanceof IllegalStateException && e.getMessage().contains("one event loop"));
        } finally {
            loop.stop();
            host.join();
            loop.close();
            second.close();
        }
    }

    @Test
    void aNewTestSchedulerGetsAFreshLoop() {
        AtomicReference<EventLoop> first = new AtomicReference<>();
        single(() -> {
            first.set(Asyncio.getRunningLoop());
            return 1;
        }).test().assertValue(1);
        TestScheduler next = new TestScheduler();
        RxJavaPlugins.setComputationSchedulerHandler(s -> next);
        AtomicReference<EventLoop> second = new AtomicReference<>();
        TestObserver<Integer> to = single(() -> {
            second.set(Asyncio.getRunningLoop());
            sleep(Duration.ofSeconds(1));
            return 2;
        }).test();
        next.advanceTimeBy(1, TimeUnit.SECONDS);
        to.assertValue(2);
        assertNotSame(first.get(), second.get());
        assertTrue(((SchedulerClock) second.get().getClock()).getScheduler() == next);
    }
}
