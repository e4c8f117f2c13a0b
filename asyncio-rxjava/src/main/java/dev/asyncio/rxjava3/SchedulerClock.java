package dev.asyncio.rxjava3;

import dev.asyncio.Clock;
import dev.asyncio.EventLoop;
import dev.asyncio.internal.LoopInternals;
import io.reactivex.rxjava3.core.Scheduler;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Clock} that takes time and timers from an RxJava {@link Scheduler}, so that a
 * {@code TestScheduler} drives a loop's coroutine sleeps together with RxJava's own timed operators.
 *
 * <p>{@link #nanoTime()} is {@code scheduler.now(NANOSECONDS)}; the clock is virtual: a loop on it
 * never sleeps in real time, it waits until the scheduler runs the wakeup this clock scheduled on it
 * for the loop's next deadline.
 *
 * <p><b>Synchronous like the {@code TestScheduler}.</b> {@code testScheduler.advanceTimeBy(1, HOURS)}
 * runs the due actions on the advancing thread, one at a time, and returns when they are done; the
 * loop runs on another thread. So that the outcome of an hour-long {@code sleep} is visible when
 * {@code advanceTimeBy} returns, the wakeup action scheduled for a deadline does not merely wake the
 * loop: it <em>waits until the loop is idle again</em> — it has run everything that came due, including
 * the coroutine steps and RxJava signals that followed, and now waits for a later deadline or for
 * outside work. The same holds for work handed to the loop by this module from other threads
 * (subscribing to a builder, disposing, an RxJava signal for an awaiting coroutine): the calling thread
 * returns once the loop is idle. A later deadline reached during the same {@code advanceTimeBy} gets
 * its own wakeup action, which the {@code TestScheduler} runs in deadline order with its other actions.
 *
 * <p>"Idle" is what the loop reports through {@link #jumpTo}: nothing ready, nothing due, no
 * threadsafe call queued and no {@linkplain EventLoop#beginExternalWork() external work} in flight.
 * So that an idle loop always asks, the clock keeps a timer far in the future (about 146 years of
 * scheduler time) on the loop it drives. The waiting never happens on a thread that holds a loop's turn
 * (a coroutine that calls {@code advanceTimeBy} itself gets no such guarantee, but no deadlock either),
 * nor while the loop is not running (start the loop before handing it work from other threads: work
 * handed to a loop that does not run yet is queued, and nobody waits for it), and it ends after {@value #LOCKSTEP_LIMIT_MILLIS} ms at most: a
 * coroutine that keeps its loop busy longer (or blocks it waiting for the test thread) is let run on
 * instead of hanging the test.
 *
 * <p>One clock drives one loop. All methods are thread-safe.
 */
public final class SchedulerClock implements Clock {
    /** The deadline of the keep-alive timer; no wakeup is scheduled for it. */
    static final long FAR_FUTURE = Long.MAX_VALUE / 2;
    /** The longest a thread waits for the loop to go idle, in milliseconds of real time. */
    public static final long LOCKSTEP_LIMIT_MILLIS = 10_000;

    private final Scheduler scheduler;
    private final Object lock = new Object();
    /** Deadlines with a wakeup action pending on the scheduler. Guarded by {@link #lock}. */
    private final TreeSet<Long> pendingWakeups = new TreeSet<>();
    /** Bumped each time the loop reports it is idle. Guarded by {@link #lock}. */
    private long idleReports;
    private volatile Runnable wakeup;
    private volatile EventLoop loop;
    /** Whether the loop has the far-future timer that makes it report idleness. Written on its turn. */
    private volatile boolean keepAliveInstalled;

    /**
     * Creates a clock reading {@code scheduler}; give it to one new loop ({@code new EventLoop(clock)}).
     *
     * @param scheduler the source of time and timers, typically a {@code TestScheduler}
     */
    public SchedulerClock(Scheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * The scheduler this clock reads and schedules its wakeups on.
     *
     * @return the scheduler
     */
    public Scheduler getScheduler() {
        return scheduler;
    }

    /** @return {@code scheduler.now(NANOSECONDS)} */
    @Override
    public long nanoTime() {
        return scheduler.now(TimeUnit.NANOSECONDS);
    }

    /** @return {@code true}: the loop waits for the scheduler instead of sleeping in real time */
    @Override
    public boolean isVirtual() {
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
    public boolean jumpTo(long deadlineNanos) {
        EventLoop l = attachRunning();
        synchronized (lock) {
            if (nanoTime() >= deadlineNanos) {
                return true;
            }
            scheduleWakeupLocked(deadlineNanos);
            // Work handed over after a waiter read idleReports keeps externalWork above zero until it has
            // run, so this report cannot release that waiter too early.
            if (l == null || l.externalWorkInFlight() == 0) {
                idleReports++;
                lock.notifyAll();
            }
        }
        return false;
    }

    /** Schedules, on the scheduler, the action that wakes the loop at {@code deadlineNanos}. */
    @Override
    public void wakeAt(long deadlineNanos, Runnable wakeup) {
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
        scheduler.scheduleDirect(() -> fire(deadline), deadline - nanoTime(), TimeUnit.NANOSECONDS);
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
     * Hands {@code work} to {@code loop} from a thread off its turn and waits until the loop has run it
     * and is idle again.
     */
    void submit(EventLoop target, Runnable work) {
        bind(target);
        target.beginExternalWork();
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
                    target.endExternalWork();
                }
            });
        } catch (RuntimeException closed) {
            target.endExternalWork();
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
                    lock.wait(20);
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
     * error where this module hands it work, in {@link #submit}.
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
     * @throws IllegalStateException if the clock already drives another loop
     */
    void attach(EventLoop target) {
        bind(target);
        if (!keepAliveInstalled && (target.isOnTurn() || !target.isRunning())) {
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
        throw new IllegalStateException("a SchedulerClock drives one event loop, and this one already drives "
                + loop + "; create one SchedulerClock per loop");
    }

    @Override
    public String toString() {
        return "SchedulerClock[" + scheduler + ", " + nanoTime() + " ns]";
    }
}
