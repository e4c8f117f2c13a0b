package dev.asyncio.test;

import dev.asyncio.internal.LoopInternals;
import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.sleep;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One clock for coroutines, Reactor and RxJava, with the real libraries (their bridge modules are not
 * needed: the test loop drives their schedulers directly).
 */
class OneClockTest {

    @Test
    void monoDelayRxTimerAndSleepFireInDeadlineOrderWithinOneAdvance() {
        TestLoop.builder().timeMode(TimeMode.MANUAL).runTest(testLoop -> {
            List<String> fired = new ArrayList<>();
            Mono.delay(ofMinutes(5)).subscribe(v -> fired.add("Mono.delay@" + testLoop.currentTime()));
            createTask(() -> {
                sleep(ofMinutes(3));
                fired.add("sleep@" + testLoop.currentTime());
            });
            Observable.timer(4, TimeUnit.MINUTES).subscribe(v -> fired.add("Observable.timer@" + testLoop.currentTime()));
            testLoop.advanceTimeBy(ofMinutes(2));
            assertEquals(List.of(), fired, "nothing is due in the first 2 minutes");
            testLoop.advanceTimeBy(ofMinutes(8));
            assertEquals(List.of("sleep@PT3M", "Observable.timer@PT4M", "Mono.delay@PT5M"), fired);
            assertEquals(ofMinutes(10), testLoop.currentTime());
        });
    }

    @Test
    void fluxIntervalTicksOnTheVirtualClockInAutoJumpMode() {
        TestLoops.runTest(testLoop -> {
            EventLoop loop = testLoop.loop();
            Future<List<String>> ticks = loop.createFuture();
            Flux.interval(ofSeconds(1))
                    .take(5)
                    .map(i -> i + "@" + testLoop.currentTime())
                    .collectList()
                    .subscribe(ticks::setResult, ticks::setException);
            assertEquals(List.of("0@PT1S", "1@PT2S", "2@PT3S", "3@PT4S", "4@PT5S"), ticks.await());
            assertEquals(ofSeconds(5), testLoop.currentTime());
        });
    }

    @Test
    void observableIntervalAdvancesWithSleep() {
        TestLoop.builder().timeMode(TimeMode.MANUAL).runTest(testLoop -> {
            List<Long> ticks = new ArrayList<>();
            Disposable d = Observable.interval(10, TimeUnit.SECONDS).subscribe(ticks::add);
            testLoop.advanceTimeBy(ofSeconds(35));
            assertEquals(List.of(0L, 1L, 2L), ticks);
            d.dispose();
            testLoop.advanceUntilIdle();
            assertEquals(ofSeconds(35), testLoop.currentTime(), "a disposed interval leaves no timer to jump to");
        });
    }

    @Test
    void reactorWorkRunsOnTheLoopsTurn() {
        TestLoops.runTest(testLoop -> {
            EventLoop loop = testLoop.loop();
            Future<Boolean> onTurn = loop.createFuture();
            Mono.fromCallable(() -> Asyncio.getRunningLoop() == loop)
                    .subscribeOn(Schedulers.boundedElastic())
                    .publishOn(Schedulers.single())
                    .subscribe(onTurn::setResult, onTurn::setException);
            assertTrue(onTurn.await());
            assertEquals(Duration.ZERO, testLoop.currentTime());
        });
    }

    @Test
    void schedulersNowIsVirtualOnTheLoopAndRealElsewhere() {
        TestLoop.builder().timeMode(TimeMode.MANUAL).runTest(testLoop -> {
            testLoop.advanceTimeBy(ofMinutes(7));
            assertEquals(ofMinutes(7).toMillis(), Schedulers.parallel().now(TimeUnit.MILLISECONDS));
            assertEquals(ofMinutes(7).toMillis(), io.reactivex.rxjava3.schedulers.Schedulers.computation().now(TimeUnit.MILLISECONDS));
            // Another thread, at the same moment, keeps real time: the hooks route per thread.
            long[] offLoop = new long[2];
            Thread t = Thread.ofPlatform().start(() -> {
                offLoop[0] = Schedulers.parallel().now(TimeUnit.MILLISECONDS);
                offLoop[1] = io.reactivex.rxjava3.schedulers.Schedulers.computation().now(TimeUnit.MILLISECONDS);
            });
            t.join();
            long wall = System.currentTimeMillis();
            assertTrue(Math.abs(wall - offLoop[0]) < 60_000, "Reactor off the loop: " + offLoop[0]);
            assertTrue(Math.abs(wall - offLoop[1]) < 60_000, "RxJava off the loop: " + offLoop[1]);
        });
    }

    @Test
    void hooksAreRestoredAfterTheTest() {
        Scheduler before = Schedulers.parallel();
        assertNull(RxJavaPlugins.getComputationSchedulerHandler());
        TestLoops.runTest(testLoop -> {
            assertNotSame(before, Schedulers.parallel());
            assertTrue(RxJavaPlugins.getComputationSchedulerHandler() != null);
        });
        assertSame(before, Schedulers.parallel(), "the snapshot of Reactor's schedulers is back");
        assertNull(RxJavaPlugins.getComputationSchedulerHandler());
        assertNull(RxJavaPlugins.getIoSchedulerHandler());
        assertNull(RxJavaPlugins.getNewThreadSchedulerHandler());
        assertNull(RxJavaPlugins.getSingleSchedulerHandler());
        // And Reactor works in real time again.
        assertEquals(0L, Mono.delay(Duration.ofMillis(1)).block(Duration.ofSeconds(10)));
    }

    @Test
    void withoutOneClockReactorKeepsRealTime() {
        TestLoop.builder().oneClock(false).runTest(testLoop -> {
            long now = Schedulers.parallel().now(TimeUnit.MILLISECONDS);
            assertTrue(Math.abs(System.currentTimeMillis() - now) < 60_000);
        });
    }

    @Test
    void workScheduledFromAnotherThreadOnALoopWorkerRunsOnTheLoop() {
        TestLoops.runTest(testLoop -> {
            EventLoop loop = testLoop.loop();
            // Created on the loop, so bound to the test loop; routing happens when the worker is made.
            Scheduler.Worker worker = Schedulers.single().createWorker();
            Future<String> ran = loop.createFuture();
            LoopInternals.beginExternalWork(loop);
            CompletableFuture.runAsync(() -> {
                // From a pool thread: delivered through callSoonThreadsafe, due 1 minute of virtual time later.
                worker.schedule(() -> ran.setResult("on the loop: " + (Asyncio.getRunningLoop() == loop)), 1, TimeUnit.MINUTES);
                LoopInternals.endExternalWork(loop);
            });
            assertEquals("on the loop: true", ran.await());
            assertEquals(ofMinutes(1), testLoop.currentTime());
            worker.dispose();
        });
    }

    @Test
    void anErrorThrownByAScheduledTaskFailsTheTest() {
        AssertionError e = assertThrows(AssertionError.class, () -> TestLoops.runTest(testLoop -> {
            Schedulers.parallel().schedule(() -> {
                throw new IllegalStateException("from a Reactor task");
            }, 1, TimeUnit.SECONDS);
            sleep(ofSeconds(2));
        }));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertFalse(e.getMessage().isEmpty());
    }
}
