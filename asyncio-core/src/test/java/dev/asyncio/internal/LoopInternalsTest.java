package dev.asyncio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Clock;
import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import dev.asyncio.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What the project's other modules reach through {@link LoopInternals}, on real loops. */
class LoopInternalsTest {

    @Test
    void runningLoopOrNullIsTheLoopOnItsTurnAndNullElsewhere() throws Exception {
        assertNull(LoopInternals.runningLoopOrNull(), "no loop runs on the test's thread");
        try (EventLoop loop = new EventLoop(new VirtualClock())) {
            List<EventLoop> seen = new ArrayList<>();
            CompletableFuture<EventLoop> fromOtherThread = new CompletableFuture<>();
            loop.runUntilComplete(() -> {
                seen.add(LoopInternals.runningLoopOrNull());
                loop.callSoon(() -> seen.add(LoopInternals.runningLoopOrNull()));
                Thread.ofPlatform().start(() -> fromOtherThread.complete(LoopInternals.runningLoopOrNull())).join();
            });
            assertEquals(List.of(loop, loop), seen, "in a coroutine and in a callback");
            assertNull(fromOtherThread.get(), "a thread that does not hold the turn has no running loop");
            assertNull(LoopInternals.runningLoopOrNull(), "nor the host once the run is over");
        }
    }

    @Test
    void cancelledTasksCountsEveryTaskOfTheLoopThatEndsCancelled() {
        try (EventLoop loop = new EventLoop(new VirtualClock(true))) {
            assertEquals(0, LoopInternals.cancelledTasks(loop));
            loop.runUntilComplete(() -> {
                Task<Void> sleeper = loop.createTask(() -> Asyncio.sleep(Duration.ofHours(1)));
                Task<Void> unstarted = loop.createTask(() -> { });
                Task<Integer> finished = loop.createTask(() -> 1);
                unstarted.cancel(); // before its first step: ends without starting
                Asyncio.sleep(Duration.ofSeconds(1));
                sleeper.cancel("the client went away");
                Asyncio.gatherReturnExceptions(sleeper, unstarted, finished).await();
                return null;
            });
            assertEquals(2, LoopInternals.cancelledTasks(loop), "the sleeper and the unstarted task; not the one that returned");
        }
    }

    @Test
    void readyOrderShuffleReordersAnIterationAndNullRestoresFifo() {
        try (EventLoop loop = new EventLoop(new VirtualClock())) {
            List<Integer> fifo = IntStream.range(0, 20).boxed().toList();
            LoopInternals.setReadyOrderShuffle(loop, new Random(42));
            List<Integer> shuffled = runTwenty(loop);
            assertNotEquals(fifo, shuffled, "seed 42 does not give the identity permutation of 20 items");
            assertEquals(fifo, shuffled.stream().sorted().toList(), "every callback still runs once");
            LoopInternals.setReadyOrderShuffle(loop, new Random(42));
            assertEquals(shuffled, runTwenty(loop), "the same seed gives the same order");
            LoopInternals.setReadyOrderShuffle(loop, null);
            assertEquals(fifo, runTwenty(loop));
        }
    }

    /** Twenty callbacks and a stop: one iteration, since a stop request is honoured at its end. */
    private static List<Integer> runTwenty(EventLoop loop) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            loop.callSoon(() -> order.add(n));
        }
        loop.callSoon(loop::stop);
        loop.runForever();
        return order;
    }

    @Test
    void ioCountsAsExternalWorkOnlyOnAVirtualClock() {
        try (EventLoop virtual = new EventLoop(new VirtualClock()); EventLoop system = new EventLoop(Clock.system())) {
            LoopInternals.beginIo(virtual);
            LoopInternals.beginIo(system);
            assertEquals(1, LoopInternals.externalWorkInFlight(virtual));
            assertEquals(0, LoopInternals.externalWorkInFlight(system), "the system clock never jumps: nothing to count");
            LoopInternals.endIo(virtual);
            LoopInternals.endIo(system);
            assertEquals(0, LoopInternals.externalWorkInFlight(virtual));
        }
    }

    @Test
    void busyNanosIsMinusOneWhileATrackedLoopWaitsAndCoversAStepThatHoldsTheTurn() throws Exception {
        EventLoop loop = new EventLoop();
        LoopInternals.trackActivity(loop);
        Thread host = Thread.ofPlatform().name("busy-nanos-host").start(loop::runForever);
        try {
            awaitWaiting(loop);
            CountDownLatch inStep = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loop.callSoonThreadsafe(() -> {
                inStep.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(inStep.await(30, TimeUnit.SECONDS));
            Thread.sleep(5);
            // The iteration began before the step did, and the step began before the sleep: a lower bound only.
            long busy = LoopInternals.busyNanos(loop, System.nanoTime());
            release.countDown();
            assertTrue(busy >= TimeUnit.MILLISECONDS.toNanos(5), "busy for " + busy + " ns");
            awaitWaiting(loop);
        } finally {
            loop.callSoonThreadsafe(loop::stop);
            host.join();
            loop.close();
        }
    }

    private static void awaitWaiting(EventLoop loop) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (LoopInternals.busyNanos(loop, System.nanoTime()) != -1) {
            assertTrue(System.nanoTime() < deadline, "the idle loop never reported waiting");
            Thread.sleep(1);
        }
    }

    @Test
    void currentTaskOrNullIsTheTaskOfTheStepAndNullInACallbackOrOffTheLoop() {
        assertNull(LoopInternals.currentTaskOrNull(), "no loop runs on this thread");
        Asyncio.run(() -> {
            dev.asyncio.Task<?> me = Asyncio.currentTask();
            assertSame(me, LoopInternals.currentTaskOrNull());
            EventLoop loop = Asyncio.getRunningLoop();
            dev.asyncio.Future<dev.asyncio.Task<?>> inCallback = loop.createFuture();
            loop.callSoon(() -> inCallback.setResult(LoopInternals.currentTaskOrNull()));
            assertNull(inCallback.await());
            assertNull(Asyncio.toThread(LoopInternals::currentTaskOrNull), "a worker thread holds no loop's turn");
        });
    }

    /**
     * The watchdog's always-on mode, outside debug mode: each slow step is passed once, and within a report
     * interval only the first is reported, with its stack. A step blocks until the listener has its report, so
     * nothing here depends on timing; the 30 s waits are only hang guards.
     */
    @Test
    void watchSlowStepsPassesEachSlowStepOnceAndReportsOnlyTheFirstOfAnInterval() {
        List<SlowStep> steps = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch firstSeen = new CountDownLatch(1);
        CountDownLatch secondSeen = new CountDownLatch(1);
        try (EventLoop loop = new EventLoop()) {
            loop.runUntilComplete(() -> null); // warm: a cold JVM's first steps may be slow themselves
            Runnable stop = LoopInternals.watchSlowSteps(List.of(loop), Duration.ofMillis(40), Duration.ofHours(1), s -> {
                steps.add(s);
                String name = s.task() == null ? "" : s.task().getName();
                (name.equals("slow-1") ? firstSeen : name.equals("slow-2") ? secondSeen : new CountDownLatch(1)).countDown();
            });
            try {
                assertFalse(loop.getDebug());
                boolean bothSeen = loop.runUntilComplete(() -> Asyncio.createTask(() -> firstSeen.await(30, TimeUnit.SECONDS), "slow-1").await()
                        && Asyncio.createTask(() -> secondSeen.await(30, TimeUnit.SECONDS), "slow-2").await());
                assertTrue(bothSeen, "the watchdog passed on both blocked steps while they blocked: " + steps);
            } finally {
                stop.run();
            }
        }
        for (String name : List.of("slow-1", "slow-2")) {
            assertEquals(1, steps.stream().filter(s -> s.task() != null && s.task().getName().equals(name)).count(),
                    () -> name + " is passed once however long it blocks: " + steps);
        }
        SlowStep reported = steps.get(0);
        assertTrue(reported.reported(), steps::toString);
        assertTrue(reported.held().compareTo(Duration.ofMillis(40)) >= 0, reported::toString);
        assertTrue(reported.stack().stream().anyMatch(e -> e.getClassName().equals(CountDownLatch.class.getName())),
                () -> "the reported step's stack shows where it blocks: " + reported.stack());
        for (SlowStep later : steps.subList(1, steps.size())) {
            assertFalse(later.reported(), () -> "one report per interval: " + steps);
            assertEquals(List.of(), later.stack(), "an unreported step carries no stack");
        }
    }

    @Test
    void sneakyThrowsACheckedExceptionUnchanged() {
        IOException e = new IOException("the very object");
        IOException thrown = assertThrows(IOException.class, () -> {
            throw LoopInternals.sneakyThrow(e);
        });
        assertSame(e, thrown);
    }
}
