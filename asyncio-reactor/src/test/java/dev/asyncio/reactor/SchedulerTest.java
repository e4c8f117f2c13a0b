package dev.asyncio.reactor;

import dev.asyncio.internal.LoopInternals;
import static dev.asyncio.reactor.ReactorCoroutines.awaitLast;
import static dev.asyncio.reactor.ReactorCoroutines.scheduler;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Runner;
import dev.asyncio.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

class SchedulerTest {

    @Test
    void scheduleRunsOnTheLoopInFifoOrder() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Scheduler s = scheduler();
            List<Integer> order = new ArrayList<>();
            List<Boolean> onLoop = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                s.schedule(() -> {
                    order.add(n);
                    onLoop.add(LoopInternals.isOnTurn(loop));
                });
            }
            Asyncio.sleep(Duration.ZERO);
            Asyncio.sleep(Duration.ZERO);
            assertEquals(List.of(0, 1, 2, 3, 4), order);
            assertTrue(onLoop.stream().allMatch(b -> b));
        });
    }

    @Test
    void delayedAndPeriodicFollowTheLoopsVirtualClock() {
        try (Runner runner = new Runner(() -> new EventLoop(new VirtualClock()), null)) {
            runner.run(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                Scheduler s = scheduler();
                List<Long> delayed = new ArrayList<>();
                List<Long> ticks = new ArrayList<>();
                s.schedule(() -> delayed.add(loop.timeNanos()), 5, TimeUnit.SECONDS);
                Disposable periodic = s.schedulePeriodically(() -> ticks.add(loop.timeNanos()), 1, 2, TimeUnit.SECONDS);
                Disposable cancelled = s.schedule(() -> delayed.add(-1L), 3, TimeUnit.SECONDS);
                cancelled.dispose();
                Asyncio.sleep(Duration.ofMillis(7500));
                periodic.dispose();
                Asyncio.sleep(Duration.ofSeconds(10));
                assertEquals(List.of(5_000_000_000L), delayed);
                assertEquals(List.of(1_000_000_000L, 3_000_000_000L, 5_000_000_000L, 7_000_000_000L), ticks);
                assertEquals(17_500L, s.now(TimeUnit.MILLISECONDS), "now() is the virtual loop time");
            });
        }
    }

    @Test
    void publishOnAndSubscribeOnMoveWorkOntoTheLoopFromOtherThreads() {
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Scheduler s = scheduler();
            // produced on a parallel thread, observed on the loop
            List<Boolean> onLoop = new ArrayList<>();
            Integer last = awaitLast(Flux.range(0, 100).subscribeOn(Schedulers.parallel()).publishOn(s)
                    .doOnNext(v -> onLoop.add(LoopInternals.isOnTurn(loop))));
            assertEquals(99, last);
            assertEquals(100, onLoop.size());
            assertTrue(onLoop.stream().allMatch(b -> b));
            Thread[] where = new Thread[1];
            ReactorCoroutines.await(Mono.fromRunnable(() -> where[0] = Thread.currentThread()).subscribeOn(s));
            assertTrue(where[0] != null);
        });
    }

    @Test
    void workerDisposeStopsItsTasksAndDisposedSchedulersReject() throws Exception {
        Asyncio.run(() -> {
            Scheduler s = scheduler();
            Scheduler.Worker w = s.createWorker();
            List<String> ran = new ArrayList<>();
            w.schedule(() -> ran.add("soon"));
            w.schedule(() -> ran.add("later"), 1, TimeUnit.SECONDS);
            Asyncio.sleep(Duration.ZERO);
            Asyncio.sleep(Duration.ZERO);
            w.dispose();
            assertTrue(w.isDisposed());
            Asyncio.sleep(Duration.ofMillis(1100));
            assertEquals(List.of("soon"), ran);
            assertThrows(RejectedExecutionException.class, () -> w.schedule(() -> { }));
            s.dispose();
            assertThrows(RejectedExecutionException.class, () -> s.schedule(() -> { }));
            assertFalse(Asyncio.getRunningLoop().isClosed(), "disposing the scheduler leaves the loop alone");
        });
        Scheduler other = scheduler(ReactorCoroutines.defaultLoop());
        assertSame(5, Mono.just(5).publishOn(other).block(Duration.ofSeconds(5)));
    }
}
