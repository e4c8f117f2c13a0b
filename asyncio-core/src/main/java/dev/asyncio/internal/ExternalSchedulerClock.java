package dev.asyncio.internal;

import dev.asyncio.Clock;
import dev.asyncio.EventLoop;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A {@link Clock} that takes time and timers from a library's scheduler (Reactor's
 * {@code VirtualTimeScheduler}, RxJava's {@code TestScheduler}), so that moving the scheduler's virtual
 * time drives a loop's coroutine sleeps together with the library's own timed operators. The bridge
 * says how to read the scheduler's time and how to schedule an action on it; this class keeps the loop
 * and the scheduler in lockstep.
 *
 * <p>{@link #nanoTime()} is the scheduler's time, but never later than the earliest deadline whose
 * wakeup the scheduler has not run yet: Reactor's {@code VirtualTimeScheduler.now()} already counts an
 * advance that has begun while the actions due before its end have not run, and a loop that read that
 * time would run its timers, and place its next ones, ahead of the scheduler, beyond the end of the
 * advance. The clock is virtual: a loop on it never sleeps in real time, it waits until the scheduler
 * runs the wakeup this clock scheduled on it for the loop's next deadline.
 *
 * <p><b>Lockstep.</b> A test scheduler runs due actions on the thread that moves its time, one at a
 * time, and returns when they are done; the loop runs on another thread. So that the outcome of an
 * hour-long {@code sleep} is visible when the advance returns, the wakeup action scheduled for a
 * deadline does not merely wake the loop: it <em>waits until the loop is idle again past the
 * scheduler's time</em>, having run everything that came due, including the coroutine steps and the
 * library's signals that followed. Work handed to the loop through {@link #submit} from other threads
 * waits until the loop is idle again. "Idle" is what the loop reports through {@link #jumpTo}: nothing
 * ready, nothing due, no threadsafe call queued and no {@linkplain LoopInternals#beginExternalWork
 * external work} in flight; the report carries the loop's next deadline. A wakeup is released only by a
 * report whose next deadline is after the scheduler's time: a report from an iteration that ran before
 * the wakeup (after a spurious wake-up of the loop, say) says nothing about the steps now due, and taking
 * it would let the scheduler move on while the loop still runs them. So that an idle loop always asks,
 * the clock keeps a timer at {@link #FAR_FUTURE} on its loop.
 *
 * <p>The schedulers take a delay, not a point in time, and add it to their own reading when they place
 * the action; if their time moved between the clock's reading and theirs, the action would land late,
 * possibly after the end of the advance, and the loop would never wake. The clock places the action
 * again, at once, whenever the scheduler's time moved while it placed one (a second wakeup for the same
 * deadline is harmless). The waiting never happens on a
 * thread that holds a loop's turn, nor while the loop is not running, and it ends after
 * {@value #LOCKSTEP_LIMIT_MILLIS} ms of real time at most: a coroutine that keeps its loop busy longer
 * is let run on instead of hanging the test.
 *
 * <p>One clock drives one loop. All methods are thread-safe.
 */
public class ExternalSchedulerClock implements Clock, VirtualTimeDriver {
    static {
        LoopInternals.registerVirtualTime(ExternalSchedulerClock.class, clock -> clock);
    }

    /** The deadline of the keep-alive timer (about 146 years of scheduler time); no wakeup is scheduled for it. */
    public static final long FAR_FUTURE = Long.MAX_VALUE / 2;
    /** The longest a thread waits for the loop to go idle, in milliseconds of real time. */
    public static final long LOCKSTEP_LIMIT_MILLIS = 10_000;
    /** How often a lockstep waiter looks again whether the loop still runs, in milliseconds. */
    private static final long RECHECK_MILLIS = 20;

    private final Object lock = new Object();
    /** Deadlines with a wakeup action pending on the scheduler. Guarded by {@link #lock}. */
    private final TreeSet<Long> pendingWakeups = new TreeSet<>();
    /** The first of {@link #pendingWakeups}, {@link Long#MAX_VALUE} if none; written under {@link #lock}. */
    private volatile long firstPendingWakeup = Long.MAX_VALUE;
    /** Bumped each time the loop reports it is idle. Guarded by {@link #lock}. */
    private long idleReports;
    /** The loop's next deadline, as of its latest idle report. Guarded by {@link #lock}. */
    private long idleNextDeadline = Long.MIN_VALUE;
    private volatile Runnable wakeup;
    private volatile EventLoop loop;
    /** Whether the loop has the far-future timer that makes it report idleness. Written on its turn. */
    private volatile boolean keepAliveInstalled;

    private final Object scheduler;
    private final LongSupplier schedulerNanos;
    private final Wakeups wakeups;

    /** How a bridge schedules the clock's wakeup actions on its library's scheduler. */
    @FunctionalInterface
    public interface Wakeups {
        /**
         * Schedules {@code action} on the scheduler, {@code delayNanos} of its time from now.
         *
         * @param action the wakeup action; the scheduler may run it on any thread
         * @param delayNanos the delay, not negative
         * @throws RejectedExecutionException if the scheduler takes no more work (it was disposed)
         */
        void schedule(Runnable action, long delayNanos);
    }

    /**
     * @param scheduler the library's scheduler, for {@link #toString()} and {@link #scheduler()}
     * @param schedulerNanos reads the scheduler's time in nanoseconds
     * @param wakeups schedules an action on the scheduler
     */
    public ExternalSchedulerClock(Object scheduler, LongSupplier schedulerNanos, Wakeups wakeups) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.schedulerNanos = Objects.requireNonNull(schedulerNanos, "schedulerNanos");
        this.wakeups = Objects.requireNonNull(wakeups, "wakeups");
    }

    /** @return the library's scheduler this clock reads */
    protected final Object scheduler() {
        return scheduler;
    }

    /**
     * @return the scheduler's time in nanoseconds, but not later than the earliest deadline whose wakeup
     *     the scheduler has yet to run (see the class comment)
     */
    @Override
    public final long nanoTime() {
        return Math.min(schedulerNanos.getAsLong(), firstPendingWakeup);
    }

    /** @return {@code true}: the loop waits for the scheduler instead of sleeping in real time */
    @Override
    public final boolean isVirtual() {
        return true;
    }

    /**
     * Called by the idle loop: never moves time (only the scheduler does), but records that the loop is
     * idle, which releases the threads waiting for it, after scheduling a wakeup for
     * {@code deadlineNanos}.
     *
     * @return whether the scheduler already reads {@code deadlineNanos} or later
     */
    @Override
    public final boolean jumpTo(long deadlineNanos) {
        EventLoop l = attachRunning();
        synchronized (lock) {
            if (nanoTime() >= deadlineNanos) {
                return true;
            }
            scheduleWakeupLocked(deadlineNanos);
            // Work handed over after a waiter read idleReports keeps externalWork above zero until it has
            // run, so this report cannot release that waiter too early.
            if (l == null || LoopInternals.externalWorkInFlight(l) == 0) {
                idleReports++;
                idleNextDeadline = deadlineNanos;
                lock.notifyAll();
            }
        }
        return false;
    }

    /** Schedules, on the scheduler, the action that wakes the loop at {@code deadlineNanos}. */
    @Override
    public final void wakeAt(long deadlineNanos, Runnable wakeup) {
        this.wakeup = wakeup;
        attachRunning();
        synchronized (lock) {
            scheduleWakeupLocked(deadlineNanos);
        }
    }

    private void scheduleWakeupLocked(long deadline) {
        if (deadline >= FAR_FUTURE || (!pendingWakeups.isEmpty() && pendingWakeups.first() <= deadline)) {
            // The pending earlier wakeup brings the loop back, and the loop then asks for this one.
            return;
        }
        pendingWakeups.add(deadline);
        firstPendingWakeup = pendingWakeups.first();
        try {
            long before;
            do {
                // The scheduler's own reading, not the capped one: the scheduler adds the delay to it.
                before = schedulerNanos.getAsLong();
                wakeups.schedule(() -> fire(deadline), Math.max(0, deadline - before));
            } while (schedulerNanos.getAsLong() != before);
        } catch (RejectedExecutionException disposed) {
            // The test is over and its scheduler disposed: time will not move any more.
            removePendingLocked(deadline);
        }
    }

    private void removePendingLocked(long deadline) {
        pendingWakeups.remove(deadline);
        firstPendingWakeup = pendingWakeups.isEmpty() ? Long.MAX_VALUE : pendingWakeups.first();
    }

    /** The scheduler's action for {@code deadline}: wake the loop and wait until it has caught up. */
    private void fire(long deadline) {
        long seen;
        long due;
        synchronized (lock) {
            removePendingLocked(deadline);
            seen = idleReports;
            // Placed early (Reactor places it against its time without the advance not yet run), the
            // action may run before the deadline: then the loop owes the steps due now, not those at it.
            due = Math.min(deadline, schedulerNanos.getAsLong());
        }
        Runnable w = wakeup;
        if (w != null) {
            w.run();
        }
        awaitIdleAfter(seen, due);
    }

    /**
     * Hands {@code work} to {@code target} from a thread off its turn and waits until the loop has run
     * it and is idle again.
     *
     * @param target the loop this clock drives
     * @param work what to run on its turn
     * @throws IllegalStateException if the loop is closed, or if this clock already drives another loop
     */
    public final void submit(EventLoop target, Runnable work) {
        bind(target);
        LoopInternals.beginExternalWork(target);
        long seen;
        synchronized (lock) {
            seen = idleReports;
        }
        try {
            target.callSoonThreadsafe(() -> {
                try {
                    attach(target);
                    work.run();
                } finally {
                    LoopInternals.endExternalWork(target);
                }
            });
        } catch (RuntimeException closed) {
            LoopInternals.endExternalWork(target);
            throw closed;
        }
        awaitIdleAfter(seen, Long.MIN_VALUE);
    }

    /**
     * Waits for an idle report, made after the one numbered {@code seen}, whose next deadline is after
     * {@code due}: the loop has run every step due at {@code due} and is idle. Not on a loop's turn, not
     * for a loop that stopped, and never beyond {@link #LOCKSTEP_LIMIT_MILLIS}.
     */
    private void awaitIdleAfter(long seen, long due) {
        if (LoopInternals.runningLoopOrNull() != null) {
            return;
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOCKSTEP_LIMIT_MILLIS);
        synchronized (lock) {
            while (idleReports == seen || idleNextDeadline <= due) {
                EventLoop l = loop;
                if (l == null || !l.isRunning() || System.nanoTime() - deadline > 0) {
                    break;
                }
                try {
                    // Timed, so that a loop that stops meanwhile does not strand the waiter.
                    lock.wait(RECHECK_MILLIS);
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * On the loop's turn (jumpTo/wakeAt): binds the clock to its first loop. A second loop on the same
     * clock is not bound (throwing here would break that loop's iteration); it is refused with a clear
     * error where work is handed to it, in {@link #submit}.
     */
    private EventLoop attachRunning() {
        EventLoop running = LoopInternals.runningLoopOrNull();
        if (running != null && running.getClock() == this) {
            EventLoop l = loop;
            if (l == null || l == running) {
                attach(running);
                return running;
            }
        }
        return loop;
    }

    /**
     * Binds the clock to {@code target} and, on the loop's turn or while it is not running, gives it the
     * keep-alive timer.
     *
     * @param target the loop this clock drives
     * @throws IllegalStateException if the clock already drives another loop
     */
    public final void attach(EventLoop target) {
        bind(target);
        if (!keepAliveInstalled && (LoopInternals.isOnTurn(target) || !target.isRunning())) {
            keepAliveInstalled = true;
            target.callAtNanos(FAR_FUTURE, () -> {
            });
        }
    }

    private void bind(EventLoop target) {
        EventLoop l = loop;
        if (l == target) {
            return;
        }
        synchronized (lock) {
            if (loop == null) {
                loop = target;
                return;
            }
        }
        throw new IllegalStateException("a " + getClass().getSimpleName() + " drives one event loop, and this one "
                + "already drives " + loop + "; create one clock per loop");
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + scheduler + ", " + nanoTime() + " ns]";
    }
}
