package dev.asyncio.engine;

import java.util.ArrayDeque;
import java.util.PriorityQueue;

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
 * <p><b>A run of one deadline beside the heap.</b> Timers are pushed in scheduling order, so timers that
 * share one deadline, pushed one after another, are already sorted: they go to a FIFO run instead of the
 * heap, at the cost of an append and later a poll each, with no sift through a large heap and no pointer
 * chasing across it. That is the norm under a virtual clock, where time stands still while a test
 * creates its tasks (a million {@code sleep(1 h)} are one run), and it also catches a burst of equal
 * delays in one clock reading. The first timer pushed while the run is empty starts it; a timer with
 * another deadline goes to the heap. The head is the smaller of the two heads by (deadline, sequence),
 * so the order is exactly the heap's.
 *
 * <p>Touched only on the loop's turn (or while the loop is not running).
 *
 * @param <T> the type of the loop's callback timers
 */
public abstract class TimerHeap<T> {
    /** asyncio's {@code _MIN_SCHEDULED_TIMER_HANDLES} and {@code _MIN_CANCELLED_TIMER_HANDLES_FRACTION}. */
    private static final int MIN_TIMERS_TO_COMPACT = 100;

    private final PriorityQueue<Object> timers = new PriorityQueue<>(this::compare);
    /** Timers of deadline {@link #runDeadline}, in scheduling order (see the class comment). */
    private final ArrayDeque<Object> run = new ArrayDeque<>();
    private long runDeadline;
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
        add(timer, deadline(timer));
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
        add(s, deadline);
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
        return run.isEmpty() && timers.isEmpty();
    }

    /**
     * @return the deadline of the timer due first, cancelled or not
     * @throws java.util.NoSuchElementException if the heap is empty
     */
    public final long nextDeadline() {
        Object first = first();
        if (first == null) {
            throw new java.util.NoSuchElementException("no timer");
        }
        return deadlineOf(first);
    }

    /** @return the timer due first, cancelled or not (a {@code T} or a {@link SleepTimer}), or {@code null} */
    public final Object head() {
        return first();
    }

    /** Drops cancelled timers: all of them if they are the majority of a large heap, else those at its head. */
    public final void purgeCancelled() {
        int n = size();
        if (n > MIN_TIMERS_TO_COMPACT && cancelledTimers * 2 > n) {
            timers.removeIf(this::dropIfCancelled);
            run.removeIf(this::dropIfCancelled);
            cancelledTimers = 0;
        } else {
            Object t;
            while ((t = first()) != null && cancelledOf(t)) {
                removeFirst(t);
                leave(t);
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
        Object t;
        while ((t = first()) != null && deadlineOf(t) <= now) {
            removeFirst(t);
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
        return timers.size() + run.size();
    }

    /** Drops every timer, when the loop closes. */
    public final void clear() {
        timers.clear();
        run.clear();
    }

    private void add(Object t, long deadline) {
        if (run.isEmpty()) {
            runDeadline = deadline;
            run.add(t);
        } else if (deadline == runDeadline) {
            run.add(t); // pushed last, so last by sequence too: the run stays sorted
        } else {
            timers.add(t);
        }
    }

    /** The timer due first: the smaller of the run's head and the heap's. */
    private Object first() {
        Object inRun = run.peekFirst();
        Object inHeap = timers.peek();
        if (inRun == null || inHeap == null) {
            return inRun != null ? inRun : inHeap;
        }
        return compare(inHeap, inRun) < 0 ? inHeap : inRun;
    }

    /** Removes {@code t}, which {@link #first()} just returned. */
    private void removeFirst(Object t) {
        if (t == run.peekFirst()) {
            run.pollFirst();
        } else {
            timers.poll();
        }
    }

    private boolean dropIfCancelled(Object t) {
        if (cancelledOf(t)) {
            leave(t);
            return true;
        }
        return false;
    }

    private int compare(Object a, Object b) {
        long da = deadlineOf(a);
        long db = deadlineOf(b);
        return da != db ? Long.compare(da, db) : Long.compare(sequenceOf(a), sequenceOf(b));
    }

    // The entries are a T or a SleepTimer; SleepTimer is final, so each test is one class comparison.

    @SuppressWarnings("unchecked")
    private long deadlineOf(Object t) {
        return t instanceof SleepTimer s ? s.deadline : deadline((T) t);
    }

    @SuppressWarnings("unchecked")
    private long sequenceOf(Object t) {
        return t instanceof SleepTimer s ? s.sequence : sequence((T) t);
    }

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
