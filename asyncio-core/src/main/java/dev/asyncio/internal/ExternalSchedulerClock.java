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
 * <p>{@link #nanoTime()} is the scheduler's time; the clock is virtual: a loop on it never sleeps in
 * real time, it waits until the scheduler runs the wakeup this clock scheduled on it for the loop's
 * next deadline.
 *
 * <p><b>Lockstep.</b> A test scheduler runs due actions on the thread that moves its time, one at a
 * time, and returns when they are done; the loop runs on another thread. So that the outcome of an
 * hour-long {@code sleep} is visible when the advance returns, the wakeup action scheduled for a
 * deadline does not merely wake the loop: it <em>waits until the loop is idle again</em>, having run
 * everything that came due, including the coroutine steps and the library's signals that followed.
 * Work handed to the loop through {@link #submit} from other threads waits the same way. "Idle" is what
 * the loop reports through {@link #jumpTo}: nothing ready, nothing due, no threadsafe call queued and
 * no {@linkplain LoopInternals#beginExternalWork external work} in flight. So that an idle loop always
 * asks, the clock keeps a timer at {@link #FAR_FUTURE} on its loop. The waiting never happens on a
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
    /** Bumped each time the loop reports it is idle. Guarded by {@link #lock}. */
    private long idleReports;
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

    /** @return the scheduler's time, in nanoseconds */
    @Override
    public final long nanoTime() {
        return schedulerNanos.getAsLong();
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
        try {
            wakeups.schedule(() -> fire(deadline), Math.max(0, deadline - nanoTime()));
        } catch (RejectedExecutionException disposed) {
            // The test is over and its scheduler disposed: time will not move any more.
            pendingWakeups.remove(deadline);
        }
    }

    /** The scheduler's action for {@code deadline}: wake the loop and wait until it has caught up. */
    private void fire(long deadline) {
        long seen;
        synchronized (lock) {
            pendingWakeups.remove(deadline);
            seen = idleReports;
        }
        Runnable w = wakeup;
        if (w != null) {
            w.run();
        }
        awaitIdleAfter(seen);
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
        awaitIdleAfter(seen);
    }

    private void awaitIdleAfter(long seen) {
        if (LoopInternals.runningLoopOrNull() != null) {
            return;
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOCKSTEP_LIMIT_MILLIS);
        synchronized (lock) {
            while (idleReports == seen) {
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
