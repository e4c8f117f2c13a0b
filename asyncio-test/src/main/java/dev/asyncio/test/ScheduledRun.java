package dev.asyncio.test;

import dev.asyncio.EventLoop;
import dev.asyncio.Handle;
import dev.asyncio.internal.Durations;
import dev.asyncio.internal.LoopInternals;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * One piece of work that Reactor or RxJava scheduled on a test loop (see {@link OneClock}): run as
 * soon as possible, after a delay, or periodically, always on the loop's turn and on its virtual
 * clock. A delayed run is a loop timer ({@code callAtNanos}), so that it fires in deadline order with
 * coroutine sleeps; a periodic run is re-armed at {@code first + n * period} (fixed rate, no drift).
 *
 * <p>Scheduled from the loop's turn, it goes straight into the loop; from another thread, it is
 * delivered with {@code callSoonThreadsafe} (its deadline is read from the clock at the call, and the
 * queued delivery keeps the clock from moving until the timer is in place). {@link #cancel()} works from
 * any thread.
 */
final class ScheduledRun implements Runnable {
    private final TestLoop testLoop;
    private final Runnable task;
    private final long periodNanos;
    private final Set<ScheduledRun> group;
    private long deadline;
    private volatile boolean cancelled;
    private volatile Handle handle;

    private ScheduledRun(TestLoop testLoop, Runnable task, long deadline, long periodNanos, Set<ScheduledRun> group) {
        this.testLoop = testLoop;
        this.task = task;
        this.deadline = deadline;
        this.periodNanos = periodNanos;
        this.group = group;
    }

    /**
     * @param delayNanos delay before the (first) run; zero or negative runs it as soon as possible
     * @param periodNanos period of a periodic run, or negative for a single run
     * @param group the worker's set of live runs, or {@code null}
     * @return the scheduled run
     * @throws RejectedExecutionException if the test loop is closed
     */
    static ScheduledRun schedule(TestLoop testLoop, Runnable task, long delayNanos, long periodNanos, Set<ScheduledRun> group) {
        long now = testLoop.currentTimeNanos();
        long deadline = delayNanos > 0 ? Durations.saturatedAdd(now, delayNanos) : now;
        ScheduledRun run = new ScheduledRun(testLoop, task, deadline, periodNanos, group);
        if (group != null) {
            group.add(run);
        }
        EventLoop loop = testLoop.loop();
        try {
            if (LoopInternals.runningLoopOrNull() == loop) {
                run.arm(delayNanos > 0);
            } else {
                loop.callSoonThreadsafe(() -> {
                    if (delayNanos > 0) {
                        run.arm(true);
                    } else {
                        run.run();
                    }
                });
            }
        } catch (IllegalStateException closed) {
            run.forget();
            throw new RejectedExecutionException("the test loop " + testLoop
                    + " is closed: its one-clock scheduler cannot run more work", closed);
        }
        return run;
    }

    /** On the loop's turn: put the run into the loop (a timer, or the ready queue). */
    private void arm(boolean timer) {
        if (cancelled) {
            return;
        }
        EventLoop loop = testLoop.loop();
        handle = timer ? loop.callAtNanos(deadline, this) : loop.callSoon(this);
    }

    /** On the loop's turn: run the task, and re-arm a periodic one. */
    @Override
    public void run() {
        if (cancelled) {
            return;
        }
        if (periodNanos < 0) {
            cancelled = true; // done: isDisposed() now reads true, as Reactor and RxJava expect
            forget();
            task.run();
            return;
        }
        try {
            task.run();
        } catch (Throwable t) {
            // As ScheduledExecutorService: a periodic task that fails runs no more; the error reaches the
            // loop's exception handler, which fails the test.
            cancel();
            throw t;
        }
        if (!cancelled) {
            deadline = Durations.saturatedAdd(deadline, periodNanos);
            arm(true);
        }
    }

    /** Keeps the task from running (again); thread-safe and idempotent. */
    void cancel() {
        cancelled = true;
        Handle h = handle;
        if (h != null) {
            h.cancel();
        }
        forget();
    }

    /** @return whether it was cancelled or, for a single run, has run */
    boolean isDisposed() {
        return cancelled;
    }

    private void forget() {
        if (group != null) {
            group.remove(this);
        }
    }

    @Override
    public String toString() {
        return "ScheduledRun[" + task + (periodNanos >= 0 ? ", every " + periodNanos + " ns" : "") + "]";
    }
}
