package dev.asyncio.engine;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The timers of one loop (asyncio's {@code _scheduled} heap): ordered by deadline, then by scheduling
 * order; cancelled timers stay in the heap until they reach its head or until they are the majority of a
 * heap of at least {@value #MIN_TIMERS_TO_COMPACT}, when the heap is compacted (asyncio's rule). Apart from
 * the loop's iteration, which asks for the next deadline and moves due timers to the ready queue, only a
 * timer's cancel and a sleep talk to it.
 *
 * <p>It holds two kinds of entries: the loop's callback timers, of type {@code T} (the API's
 * {@code TimerHandle}, which may not extend an engine type), read through the accessors a subclass supplies,
 * and the engine's own {@link SleepTimer}s, which need no callback. The loop has exactly one subclass, so
 * that the accessors inline.
 *
 * <p>A binary heap of its own rather than a {@code PriorityQueue}: each entry's deadline and sequence are
 * kept beside it in one {@code long} array, so that ordering a heap of a million sleepers reads two
 * adjacent numbers per comparison instead of two timer objects scattered over the heap (the sifting of a
 * {@code PriorityQueue} through its comparator was a sixth of the CPU time of a million virtual-time
 * sleeps). The keys cost 16 bytes per timer in the heap.
 *
 * <p>Touched only on the loop's turn (or while the loop is not running).
 *
 * @param <T> the type of the loop's callback timers
 */
public abstract class TimerHeap<T> {
    /** asyncio's {@code _MIN_SCHEDULED_TIMER_HANDLES} and {@code _MIN_CANCELLED_TIMER_HANDLES_FRACTION}. */
    private static final int MIN_TIMERS_TO_COMPACT = 100;

    private static final int INITIAL_CAPACITY = 16;

    /** The heap: {@code entries[0]} is due first; the children of {@code i} are at {@code 2i+1} and {@code 2i+2}. */
    private Object[] entries = new Object[INITIAL_CAPACITY];
    /** For each entry {@code i}: its deadline at {@code 2i}, its sequence at {@code 2i+1}; they never change. */
    private long[] keys = new long[2 * INITIAL_CAPACITY];
    private int size;
    private int cancelledTimers;
    private long timerSequence;

    /** For the loop's one subclass. */
    protected TimerHeap() {
    }

    /**
     * @param timer a callback timer
     * @return its deadline, in nanoseconds on the loop's clock
     */
    protected abstract long deadline(T timer);

    /**
     * @param timer a callback timer
     * @return the number {@link #nextSequence()} gave it, which orders timers with the same deadline
     */
    protected abstract long sequence(T timer);

    /**
     * @param timer a callback timer
     * @return whether it was cancelled
     */
    protected abstract boolean cancelled(T timer);

    /**
     * Records whether {@code timer} is in the heap, which its cancel reads to know whether to call
     * {@link #timerCancelled()}.
     *
     * @param timer a callback timer
     * @param inHeap whether it is in the heap from now on
     */
    protected abstract void setInHeap(T timer, boolean inHeap);

    /** @return the sequence number of a new timer: timers with the same deadline come due in this order */
    protected final long nextSequence() {
        return timerSequence++;
    }

    /**
     * Adds a callback timer made with {@link #nextSequence()}.
     *
     * @param timer the timer, not cancelled
     */
    protected final void push(T timer) {
        setInHeap(timer, true);
        offer(timer, deadline(timer), sequence(timer));
    }

    /**
     * The timer of a sleep, on the sleeping task's own turn.
     *
     * @param task the sleeping task
     * @param deadline when the sleep ends, in nanoseconds on the loop's clock
     * @return the timer, in the heap
     */
    public final SleepTimer sleep(Object task, long deadline) {
        SleepTimer s = new SleepTimer(task, deadline, timerSequence++);
        s.inHeap = true;
        offer(s, s.deadline, s.sequence);
        return s;
    }

    /**
     * A cancel of the sleeping task interrupts its sleep: like a cancel of asyncio's sleep future, the
     * caller wakes the task, which sees a {@code CancelledError} with the message. The timer stays in the heap
     * as a cancelled one.
     *
     * @param sleep the sleep's timer
     * @param message the cancel's message, or {@code null}
     * @return {@code false} if the timer already fired or was interrupted (too late, as cancelling a done future)
     */
    public final boolean interrupt(SleepTimer sleep, String message) {
        if (!sleep.interrupt(message)) {
            return false;
        }
        if (sleep.inHeap) {
            cancelledTimers++;
        }
        return true;
    }

    /** A callback timer still in the heap was cancelled on the turn: counts towards compaction. */
    public final void timerCancelled() {
        cancelledTimers++;
    }

    /** @return whether no timer is in the heap, cancelled or not */
    public final boolean isEmpty() {
        return size == 0;
    }

    /**
     * @return the deadline of the timer due first, cancelled or not
     * @throws java.util.NoSuchElementException if the heap is empty
     */
    public final long nextDeadline() {
        if (size == 0) {
            throw new java.util.NoSuchElementException("no timer");
        }
        return keys[0];
    }

    /** @return the timer due first, cancelled or not (a {@code T} or a {@link SleepTimer}), or {@code null} */
    public final Object head() {
        return entries[0];
    }

    /** Drops cancelled timers: all of them if they are the majority of a large heap, else those at its head. */
    public final void purgeCancelled() {
        if (size > MIN_TIMERS_TO_COMPACT && cancelledTimers * 2 > size) {
            compact();
            cancelledTimers = 0;
        } else {
            while (size > 0 && cancelledOf(entries[0])) {
                leave(pollFirst());
                cancelledTimers = Math.max(0, cancelledTimers - 1);
            }
        }
    }

    /**
     * Moves the timers due at {@code now} to {@code ready}, by deadline and then in scheduling order;
     * cancelled ones are dropped.
     *
     * @param now the loop's time, in nanoseconds
     * @param ready the loop's ready queue
     */
    public final void moveDue(long now, ArrayDeque<Object> ready) {
        while (size > 0 && keys[0] <= now) {
            Object t = pollFirst();
            leave(t);
            if (cancelledOf(t)) {
                cancelledTimers = Math.max(0, cancelledTimers - 1);
            } else {
                ready.add(t);
            }
        }
    }

    /** @return the timers in the heap, cancelled ones included (lets tests see the compaction work) */
    public final int size() {
        return size;
    }

    /** Drops every timer, when the loop closes. */
    public final void clear() {
        entries = new Object[INITIAL_CAPACITY];
        keys = new long[2 * INITIAL_CAPACITY];
        size = 0;
    }

    // ------------------------------------------------------------------ the heap

    private void offer(Object timer, long deadline, long sequence) {
        if (size == entries.length) {
            int capacity = size + (size >> 1) + 1;
            entries = Arrays.copyOf(entries, capacity);
            keys = Arrays.copyOf(keys, 2 * capacity);
        }
        siftUp(size++, timer, deadline, sequence);
    }

    /** Removes and returns the entry due first; the heap must not be empty. */
    private Object pollFirst() {
        Object first = entries[0];
        int last = --size;
        Object moved = entries[last];
        entries[last] = null;
        if (last > 0) {
            siftDown(0, moved, keys[2 * last], keys[2 * last + 1]);
        }
        return first;
    }

    /** Drops every cancelled entry and restores the heap order (asyncio's compaction). */
    private void compact() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            Object t = entries[i];
            if (cancelledOf(t)) {
                leave(t);
            } else {
                place(kept++, t, keys[2 * i], keys[2 * i + 1]);
            }
        }
        Arrays.fill(entries, kept, size, null);
        size = kept;
        for (int i = (kept >>> 1) - 1; i >= 0; i--) {
            siftDown(i, entries[i], keys[2 * i], keys[2 * i + 1]);
        }
    }

    private void siftUp(int at, Object timer, long deadline, long sequence) {
        int k = at;
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            if (!before(deadline, sequence, keys[2 * parent], keys[2 * parent + 1])) {
                break;
            }
            place(k, entries[parent], keys[2 * parent], keys[2 * parent + 1]);
            k = parent;
        }
        place(k, timer, deadline, sequence);
    }

    private void siftDown(int at, Object timer, long deadline, long sequence) {
        int k = at;
        int half = size >>> 1;
        while (k < half) {
            int child = 2 * k + 1;
            int right = child + 1;
            if (right < size && before(keys[2 * right], keys[2 * right + 1], keys[2 * child], keys[2 * child + 1])) {
                child = right;
            }
            if (!before(keys[2 * child], keys[2 * child + 1], deadline, sequence)) {
                break;
            }
            place(k, entries[child], keys[2 * child], keys[2 * child + 1]);
            k = child;
        }
        place(k, timer, deadline, sequence);
    }

    private void place(int i, Object timer, long deadline, long sequence) {
        entries[i] = timer;
        keys[2 * i] = deadline;
        keys[2 * i + 1] = sequence;
    }

    /** Deadline first, then scheduling order: timers with the same deadline come due in the order they were made. */
    private static boolean before(long deadline, long sequence, long otherDeadline, long otherSequence) {
        return deadline < otherDeadline || deadline == otherDeadline && sequence < otherSequence;
    }


    // The entries are a T or a SleepTimer; SleepTimer is final, so each test is one class comparison.

    @SuppressWarnings("unchecked")
    private boolean cancelledOf(Object t) {
        return t instanceof SleepTimer s ? s.isInterrupted() : cancelled((T) t);
    }

    @SuppressWarnings("unchecked")
    private void leave(Object t) {
        if (t instanceof SleepTimer s) {
            s.inHeap = false;
        } else {
            setInHeap((T) t, false);
        }
    }
}
