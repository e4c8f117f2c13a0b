package dev.asyncio.spring;

import static dev.asyncio.Asyncio.getRunningLoop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import dev.asyncio.internal.LoopInternals;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where {@link AsyncioLoops} places new tasks. A loop is "behind" once its current iteration has run for
 * {@link AsyncioLoops#KEEPING_UP_MICROS} µs; the tests make sure of that by sleeping longer than that after
 * a step starts blocking its loop (a sleep lasts at least as long as asked). On a busy machine a loop that
 * is not blocked can also look behind for a moment (its thread preempted in the middle of an iteration),
 * and then the pool may rightly spread work to any loop; so before each choice whose answer they check,
 * the tests wait until the loops that are not blocked are waiting for work. Nothing here depends on how
 * fast the machine is.
 */
@Timeout(60)
class AsyncioLoopsTest {
    private static final long SECONDS = 30;

    private final List<CountDownLatch> releases = new ArrayList<>();
    private AsyncioLoops loops;

    @AfterEach
    void close() {
        releases.forEach(CountDownLatch::countDown);
        if (loops != null) {
            loops.close();
        }
    }

    /** Submits a task that blocks its loop's turn until the test ends; returns once it blocks, and is behind. */
    private EventLoop blockALoop(Set<EventLoop> blockedAlready) throws Exception {
        awaitWaiting(blockedAlready);
        CountDownLatch release = new CountDownLatch(1);
        releases.add(release);
        CompletableFuture<EventLoop> blocking = new CompletableFuture<>();
        loops.submit(() -> {
            blocking.complete(getRunningLoop());
            // Holds the turn without suspending, as Thread.sleep or a blocking driver would.
            return release.await(SECONDS, TimeUnit.SECONDS);
        }, "blocker");
        EventLoop blocked = blocking.get(SECONDS, TimeUnit.SECONDS);
        Thread.sleep(TimeUnit.MICROSECONDS.toMillis(AsyncioLoops.KEEPING_UP_MICROS) * 5);
        return blocked;
    }

    private static EventLoop loopOf(Task<EventLoop> task) throws Exception {
        return task.toCompletableFuture().get(SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void aLoopBlockedByAStepGetsNoNewTaskWhileAnotherLoopCanTakeIt() throws Exception {
        loops = new AsyncioLoops(2);
        EventLoop blocked = blockALoop(Set.of());
        for (int i = 0; i < 20; i++) {
            awaitWaiting(Set.of(blocked));
            EventLoop chosen = loops.next();
            assertNotEquals(blocked, chosen, "choice " + i + " went to the blocked loop");
            assertNotEquals(blocked, loopOf(loops.submit(() -> getRunningLoop())), "task " + i);
        }
    }

    @Test
    void whenEveryLoopIsBehindTasksAreSpreadOverAllOfThem() throws Exception {
        loops = new AsyncioLoops(3);
        Set<EventLoop> blocked = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            assertTrue(blocked.add(blockALoop(blocked)), "each blocker goes to a loop that is not blocked yet");
        }
        List<Task<EventLoop>> queued = new ArrayList<>();
        Set<EventLoop> chosen = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            Task<EventLoop> t = loops.submit(() -> getRunningLoop());
            queued.add(t);
            chosen.add(t.getLoop());
        }
        assertEquals(blocked, chosen, "round robin over the loops, all behind");
        for (Task<EventLoop> t : queued) {
            assertFalse(t.toCompletableFuture().isDone(), "nothing runs while every loop is blocked");
        }
        releases.forEach(CountDownLatch::countDown);
        for (Task<EventLoop> t : queued) {
            assertEquals(t.getLoop(), loopOf(t), "each task ran on the loop it was placed on");
        }
    }

    @Test
    void whileEveryLoopWaitsForWorkTheFirstOneIsWokenAndTheOthersSleepOn() throws Exception {
        loops = new AsyncioLoops(3);
        for (int round = 0; round < 5; round++) {
            awaitWaiting(Set.of());
            assertEquals(loops.loops().get(0), loops.next(), "round " + round);
            assertEquals(loops.loops().get(0), loopOf(loops.submit(() -> getRunningLoop())), "round " + round);
        }
    }

    @Test
    void aSingleLoopPoolAlwaysChoosesItsLoop() throws Exception {
        loops = new AsyncioLoops(1);
        EventLoop only = loops.loops().get(0);
        blockALoop(Set.of());
        assertEquals(only, loops.next(), "even when behind: there is no other");
    }

    /** Until every loop of the pool but {@code except} is parked waiting for work (soon after its last task). */
    private void awaitWaiting(Set<EventLoop> except) throws InterruptedException {
        for (EventLoop loop : loops.loops()) {
            if (!except.contains(loop)) {
                awaitWaiting(loop);
            }
        }
    }

    /** Until {@code loop}, of a pool, is parked waiting for work; fails after 30 s. Also for the WebFlux test. */
    static void awaitWaiting(EventLoop loop) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (LoopInternals.busyNanos(loop, System.nanoTime()) >= 0) {
            assertTrue(System.nanoTime() < deadline, loop + " never waited for work");
            Thread.sleep(1);
        }
    }
}
