package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.engine.SleepTimer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop's timer heap ({@link Timers} over the engine's {@code TimerHeap}) on its own: order, due timers, cancelled ones, sleeps. */
class TimersTest {
    private final EventLoop loop = new EventLoop(new VirtualClock());
    private final Timers timers = new Timers(loop);

    @AfterEach
    void close() {
        loop.close();
    }

    private TimerHandle at(long nanos) {
        return timers.add(() -> { }, Context.EMPTY, nanos);
    }

    /** What {@link TimerHandle#cancel()} does on the turn of a running loop. */
    private void cancel(TimerHandle h) {
        h.cancelled = true;
        timers.timerCancelled();
    }

    @Test
    void dueTimersMoveByDeadlineThenInSchedulingOrder() {
        TimerHandle late = at(30);
        TimerHandle first = at(20);
        TimerHandle second = at(20);
        TimerHandle early = at(10);
        ArrayDeque<Object> ready = new ArrayDeque<>();
        timers.moveDue(25, ready);
        assertEquals(List.of(early, first, second), new ArrayList<>(ready));
        assertFalse(first.inHeap);
        assertSame(late, timers.head(), "the timer not yet due stays");
        assertTrue(late.inHeap);
    }

    @Test
    void aBurstOfOneDeadlineAndTheHeapComeDueInOneOrder() {
        TimerHandle a = at(20); // starts the run of deadline 20
        TimerHandle b = at(20);
        TimerHandle early = at(5); // another deadline: the heap
        TimerHandle c = at(20);
        TimerHandle later = at(30);
        TimerHandle d = at(20);
        cancel(b);
        assertSame(early, timers.head(), "the heap's head comes before the run's");
        ArrayDeque<Object> ready = new ArrayDeque<>();
        timers.moveDue(25, ready);
        assertEquals(List.of(early, a, c, d), new ArrayList<>(ready), "by deadline, then in scheduling order");
        // The run is empty: the next timer starts a new one, at the deadline of one already in the heap.
        TimerHandle sameAsLater = at(30);
        assertSame(later, timers.head(), "scheduled first, so due first");
        ready.clear();
        timers.moveDue(30, ready);
        assertEquals(List.of(later, sameAsLater), new ArrayList<>(ready));
        assertTrue(timers.isEmpty());
    }

    /**
     * Against a model (all timers sorted by deadline, then creation): random timers, many with equal
     * deadlines, random cancels, compactions and partial moves keep the heap's order at every step.
     */
    @Test
    void randomTimersCancelsAndCompactionsKeepDeadlineThenCreationOrder() {
        java.util.Random random = new java.util.Random(20261204);
        List<TimerHandle> model = new ArrayList<>(); // pending, in creation order
        long now = 0;
        for (int round = 0; round < 40; round++) {
            for (int i = random.nextInt(300); i > 0; i--) {
                long deadline = now + 1 + random.nextInt(50); // few distinct deadlines: ties everywhere
                // Sometimes a burst of one deadline, as sleeps under a virtual clock make (the run beside the heap).
                for (int burst = random.nextInt(5) == 0 ? 1 + random.nextInt(40) : 1; burst > 0; burst--) {
                    model.add(at(deadline));
                }
            }
            for (TimerHandle h : model) {
                if (!h.cancelled && random.nextInt(3) == 0) {
                    cancel(h);
                }
            }
            timers.purgeCancelled();
            now += random.nextInt(30);
            long due = now;
            List<TimerHandle> expected = model.stream()
                    .filter(h -> !h.cancelled && h.whenNanos <= due)
                    .sorted(java.util.Comparator.comparingLong((TimerHandle h) -> h.whenNanos)) // stable: creation order on ties
                    .toList();
            ArrayDeque<Object> ready = new ArrayDeque<>();
            timers.moveDue(due, ready);
            assertEquals(expected, new ArrayList<>(ready), "round " + round);
            model.removeIf(h -> h.whenNanos <= due);
            assertEquals(model.stream().filter(h -> !h.cancelled).count(),
                    model.stream().filter(h -> h.inHeap && !h.cancelled).count(), "every pending timer is in the heap");
        }
    }

    @Test
    void cancelledTimersAreDroppedNotRun() {
        TimerHandle cancelled = at(10);
        TimerHandle kept = at(20);
        cancel(cancelled);
        ArrayDeque<Object> ready = new ArrayDeque<>();
        timers.moveDue(100, ready);
        assertEquals(List.of(kept), new ArrayList<>(ready));
        assertNull(timers.head());
        assertEquals(0, timers.size());
    }

    @Test
    void purgeDropsCancelledHeadsOfASmallHeapAndCompactsALargeOne() {
        TimerHandle head = at(1);
        TimerHandle next = at(2);
        cancel(head);
        timers.purgeCancelled();
        assertSame(next, timers.head());
        assertFalse(head.inHeap);

        List<TimerHandle> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            many.add(at(1000 + i));
        }
        for (int i = 1; i < 200; i += 2) {
            cancel(many.get(i)); // not at the head: only compaction removes them
        }
        cancel(many.get(0));
        assertEquals(201, timers.size());
        timers.purgeCancelled();
        assertEquals(100, timers.size(), "more than half cancelled in a heap of over 100: compacted");
    }

    @Test
    void aSleepTimerIsInTheHeapAtItsDeadlineAmongTheCallbackTimers() {
        Task<Void> task = new Task<>(loop, () -> null, "sleeper", new Context());
        TimerHandle later = at(60);
        SleepTimer sleep = timers.sleep(task, 50);
        TimerHandle sameDeadlineAfter = at(50);
        assertEquals(50, sleep.deadline());
        assertEquals(50, timers.nextDeadline());
        assertSame(sleep, timers.head());
        ArrayDeque<Object> ready = new ArrayDeque<>();
        timers.moveDue(60, ready);
        assertEquals(List.of(sleep, sameDeadlineAfter, later), new ArrayList<>(ready), "by deadline, then in scheduling order");
        assertTrue(sleep.fire(), "its turn in the ready queue: the task is woken");
        assertFalse(timers.interruptSleep(sleep, "late"), "a cancel after it fired is too late");
        assertNull(Timers.interruption(sleep));
    }

    @Test
    void anInterruptedSleepIsACancelledTimerThatNeverFires() {
        Task<Void> task = new Task<>(loop, () -> null, "sleeper", new Context());
        SleepTimer sleep = timers.sleep(task, 50);
        assertTrue(timers.interruptSleep(sleep, "stop"));
        assertFalse(timers.interruptSleep(sleep, "again"), "interrupted once only");
        assertEquals("stop", Timers.interruption(sleep).getMessage());
        timers.purgeCancelled();
        assertTrue(timers.isEmpty(), "a cancelled head is dropped");
        assertFalse(sleep.fire());
    }
}
