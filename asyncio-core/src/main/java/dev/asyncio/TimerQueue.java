package dev.asyncio;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The timers of one {@link EventLoop} (asyncio's {@code _scheduled} heap): ordered by deadline, then by
 * scheduling order; cancelled timers stay in the heap until they reach its head or until they are the
 * majority, when the heap is compacted (asyncio's rule). Apart from the loop's iteration, which asks for
 * the next deadline and moves due timers to the ready queue, only {@link TimerHandle#cancel()} and
 * {@link Asyncio#sleep} talk to it. Touched only on the loop's turn.
 */
final class TimerQueue {
    private static final Comparator<TimerHandle> TIMER_ORDER = (a, b) -> a.whenNanos != b.whenNanos
            ? Long.compare(a.whenNanos, b.whenNanos) : Long.compare(a.sequence, b.sequence);
    /** asyncio's {@code _MIN_SCHEDULED_TIMER_HANDLES} and {@code _MIN_CANCELLED_TIMER_HANDLES_FRACTION}. */
    private static final int MIN_TIMERS_TO_COMPACT = 100;

    private final EventLoop loop;
    private final PriorityQueue<TimerHandle> timers = new PriorityQueue<>(TIMER_ORDER);
    private int cancelledTimers;
    private long timerSequence;

    TimerQueue(EventLoop loop) {
        this.loop = loop;
    }

    /** A timer running {@code callback} with {@code contextVars} at {@code whenNanos}, in the heap. */
    TimerHandle add(Runnable callback, Map<ContextVar<?>, Object> contextVars, long whenNanos) {
        TimerHandle h = new TimerHandle(loop, callback, contextVars, whenNanos, timerSequence++);
        h.inHeap = true;
        timers.add(h);
        return h;
    }

    /** The timer of {@link Asyncio#sleep}, on the sleeping task's own turn. */
    SleepTimer scheduleSleep(Task<?> task, long whenNanos) {
        SleepTimer h = new SleepTimer(loop, task, whenNanos, timerSequence++);
        h.inHeap = true;
        timers.add(h);
        return h;
    }

    /** A timer still in the heap was cancelled on the turn: counts towards compaction. */
    void timerCancelled() {
        cancelledTimers++;
    }

    /** @return the timer due first, cancelled or not, or {@code null} if there is none */
    TimerHandle head() {
        return timers.peek();
    }

    /** Drops cancelled timers: all of them if they are the majority of a large heap, else those at its head. */
    void purgeCancelled() {
        int n = timers.size();
        if (n > MIN_TIMERS_TO_COMPACT && cancelledTimers * 2 > n) {
            timers.removeIf(t -> {
                if (t.cancelled) {
                    t.inHeap = false;
                    return true;
                }
                return false;
            });
            cancelledTimers = 0;
        } else {
            TimerHandle h;
            while ((h = timers.peek()) != null && h.cancelled) {
                timers.poll();
                h.inHeap = false;
                cancelledTimers = Math.max(0, cancelledTimers - 1);
            }
        }
    }

    /** Moves the timers due at {@code now} to {@code ready}, by deadline and then in scheduling order. */
    void moveDue(long now, ArrayDeque<Object> ready) {
        TimerHandle h;
        while ((h = timers.peek()) != null && h.whenNanos <= now) {
            timers.poll();
            h.inHeap = false;
            if (h.cancelled) {
                cancelledTimers = Math.max(0, cancelledTimers - 1);
            } else {
                ready.add(h);
            }
        }
    }

    /** Timers in the heap, cancelled ones included: lets tests see the compaction work. */
    int size() {
        return timers.size();
    }

    /** At close. */
    void clear() {
        timers.clear();
    }
}
