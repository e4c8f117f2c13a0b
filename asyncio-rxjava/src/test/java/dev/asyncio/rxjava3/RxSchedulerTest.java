package dev.asyncio.rxjava3;

import dev.asyncio.internal.LoopInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.VirtualClock;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.observers.TestObserver;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RxSchedulerTest {
    private final UndeliverableErrors undeliverable = new UndeliverableErrors();
    private VirtualClock clock;
    private EventLoop loop;
    private Thread host;
    private Scheduler scheduler;

    @BeforeEach
    void startLoop() {
        clock = new VirtualClock(false);
        loop = new EventLoop(clock);
        host = Thread.ofPlatform().name("rx-scheduler-test-loop").start(loop::runForever);
        scheduler = RxCoroutines.asScheduler(loop);
    }

    @AfterEach
    void stopLoop() throws InterruptedException {
        loop.stop();
        host.join();
        loop.close();
        undeliverable.close();
    }

    /** Waits until the loop has run what is queued (a round trip through it). */
    private void settle() throws Exception {
        loop.runCoroutineThreadsafe(() -> null).get(5, TimeUnit.SECONDS);
        loop.runCoroutineThreadsafe(() -> null).get(5, TimeUnit.SECONDS);
    }

    @Test
    void observeOnDeliversOnTheLoopsTurnInOrder() throws Exception {
        List<Boolean> onTurn = new CopyOnWriteArrayList<>();
        TestObserver<Integer> to = Observable.range(1, 200)
                .subscribeOn(Schedulers.computation())
                .observeOn(scheduler)
                .doOnNext(x -> onTurn.add(LoopInternals.isOnTurn(loop)))
                .test();
        to.await(5, TimeUnit.SECONDS);
        to.assertValueCount(200).assertComplete();
        for (int i = 0; i < 200; i++) {
            assertEquals(i + 1, to.values().get(i));
        }
        assertTrue(onTurn.stream().allMatch(b -> b));
    }

    @Test
    void subscribeOnSubscribesOnTheLoop() throws Exception {
        List<Boolean> onTurn = new CopyOnWriteArrayList<>();
        TestObserver<Integer> to = Observable.fromCallable(() -> {
            onTurn.add(LoopInternals.isOnTurn(loop));
            return 1;
        }).subscribeOn(scheduler).test();
        to.await(5, TimeUnit.SECONDS);
        to.assertValue(1);
        assertEquals(List.of(true), onTurn);
    }

    @Test
    void nowReadsTheLoopsClockAndDelaysUseItsTimers() throws Exception {
        assertEquals(0, scheduler.now(TimeUnit.NANOSECONDS));
        AtomicInteger ran = new AtomicInteger();
        scheduler.scheduleDirect(ran::incrementAndGet, 10, TimeUnit.SECONDS);
        settle();
        assertEquals(0, ran.get());
        clock.advanceBy(Duration.ofSeconds(9));
        settle();
        assertEquals(0, ran.get());
        clock.advanceBy(Duration.ofSeconds(1));
        settle();
        assertEquals(1, ran.get());
        assertEquals(TimeUnit.SECONDS.toMillis(10), scheduler.now(TimeUnit.MILLISECONDS));
    }

    @Test
    void periodicWorkFollowsTheLoopsClock() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        Disposable periodic = scheduler.schedulePeriodicallyDirect(ticks::incrementAndGet, 1, 1, TimeUnit.SECONDS);
        settle();
        for (int s = 1; s <= 5; s++) {
            clock.advanceBy(Duration.ofSeconds(1));
            settle();
            assertEquals(s, ticks.get(), "tick at virtual second " + s);
        }
        periodic.dispose();
        clock.advanceBy(Duration.ofSeconds(3));
        settle();
        assertEquals(5, ticks.get());

        TestObserver<Long> interval = Observable.interval(1, TimeUnit.SECONDS, scheduler).take(3).test();
        settle();
        for (int s = 0; s < 3; s++) {
            clock.advanceBy(Duration.ofSeconds(1));
            settle();
        }
        interval.assertValues(0L, 1L, 2L).assertComplete();
    }

    @Test
    void workerRunsInOrderAndDisposeDropsWhatIsPending() throws Exception {
        Scheduler.Worker worker = scheduler.createWorker();
        List<Integer> order = new CopyOnWriteArrayList<>();
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 500; i++) {
                int n = i;
                worker.schedule(() -> order.add(n));
            }
        });
        producer.join();
        settle();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            expected.add(i);
        }
        assertEquals(expected, order);

        AtomicInteger late = new AtomicInteger();
        worker.schedule(late::incrementAndGet, 5, TimeUnit.SECONDS);
        settle();
        worker.dispose();
        assertTrue(worker.isDisposed());
        Disposable after = worker.schedule(late::incrementAndGet);
        assertTrue(after.isDisposed());
        clock.advanceBy(Duration.ofSeconds(10));
        settle();
        assertEquals(0, late.get(), "a disposed worker runs nothing more");
    }

    @Test
    void disposingOneTaskLeavesTheOthers() throws Exception {
        Scheduler.Worker worker = scheduler.createWorker();
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        Disposable da = worker.schedule(a::incrementAndGet, 1, TimeUnit.SECONDS);
        worker.schedule(b::incrementAndGet, 1, TimeUnit.SECONDS);
        da.dispose();
        settle();
        clock.advanceBy(Duration.ofSeconds(1));
        settle();
        assertEquals(0, a.get());
        assertEquals(1, b.get());
        worker.dispose();
    }

    @Test
    void failingWorkGoesToRxJavaPluginsAndTheLoopGoesOn() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        scheduler.scheduleDirect(() -> {
            throw boom;
        });
        AtomicInteger after = new AtomicInteger();
        scheduler.scheduleDirect(after::incrementAndGet);
        settle();
        assertEquals(1, after.get());
        assertEquals(List.of(boom), undeliverable.list());
    }

    @Test
    void scheduleFromTheLoopsOwnTurnRunsInALaterIteration() {
        Asyncio.run(() -> {
            Scheduler own = RxCoroutines.asScheduler(Asyncio.getRunningLoop());
            List<String> order = new ArrayList<>();
            own.scheduleDirect(() -> order.add("direct"));
            Scheduler.Worker worker = own.createWorker();
            worker.schedule(() -> {
                order.add("worker 1");
                worker.schedule(() -> order.add("worker 3"));
                order.add("worker 2");
            });
            order.add("caller");
            Asyncio.sleep(Duration.ZERO);
            Asyncio.sleep(Duration.ZERO);
            assertEquals(List.of("caller", "direct", "worker 1", "worker 2", "worker 3"), order);
            worker.dispose();
        });
    }

    @Test
    void aClosedLoopDropsTheWorkAndSaysSo() throws Exception {
        EventLoop closed = new EventLoop();
        closed.close();
        AtomicInteger ran = new AtomicInteger();
        Disposable d = RxCoroutines.asScheduler(closed).scheduleDirect(ran::incrementAndGet);
        assertTrue(d.isDisposed());
        assertEquals(0, ran.get());
        assertEquals(1, undeliverable.list().size());
        assertInstanceOf(IllegalStateException.class, undeliverable.list().get(0));
    }
}
