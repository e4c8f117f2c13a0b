package dev.asyncio.rxjava3;

import dev.asyncio.Clock;
import dev.asyncio.EventLoop;
import dev.asyncio.internal.ExternalSchedulerClock;
import dev.asyncio.internal.LoopInternals;
import io.reactivex.rxjava3.core.Scheduler;
import java.util.concurrent.TimeUnit;

/**
 * A {@link dev.asyncio.Clock} that takes time and timers from an RxJava {@link Scheduler}, so that a
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
 * <p>"Idle" is what the loop reports through {@code jumpTo}: nothing ready, nothing due, no
 * threadsafe call queued and no other work it counts as in flight (an executor job, awaited I/O, a bridge's hand-in).
 * So that an idle loop always asks, the clock keeps a timer far in the future (about 146 years of
 * scheduler time) on the loop it drives. The waiting never happens on a thread that holds a loop's turn
 * (a coroutine that calls {@code advanceTimeBy} itself gets no such guarantee, but no deadlock either),
 * nor while the loop is not running (start the loop before handing it work from other threads: work
 * handed to a loop that does not run yet is queued, and nobody waits for it), and it ends after {@value #LOCKSTEP_LIMIT_MILLIS} ms at most: a
 * coroutine that keeps its loop busy longer (or blocks it waiting for the test thread) is let run on
 * instead of hanging the test.
 *
 * <p>The lockstep is the one the Reactor bridge uses too; it is kept in a private part of this clock,
 * so that handing work to a loop in lockstep stays this module's business, not the clock's API. One
 * clock drives one loop. All methods are thread-safe.
 */
public final class SchedulerClock implements Clock {
    static {
        // The loop drives the lockstep (jumpTo/wakeAt) through the core's SPI, not through a public method.
        LoopInternals.registerVirtualTime(SchedulerClock.class, clock -> clock.lockstep);
    }

    /** The longest a thread waits for the loop to go idle, in milliseconds of real time. */
    public static final long LOCKSTEP_LIMIT_MILLIS = ExternalSchedulerClock.LOCKSTEP_LIMIT_MILLIS;

    private final Scheduler scheduler;
    /** The loop side of the lockstep: time, wakeups and idleness, and the submissions that wait for it. */
    final ExternalSchedulerClock lockstep;

    /**
     * Creates a clock reading {@code scheduler}; give it to one new loop ({@code new EventLoop(clock)}).
     *
     * @param scheduler the source of time and timers, typically a {@code TestScheduler}
     */
    public SchedulerClock(Scheduler scheduler) {
        this.scheduler = java.util.Objects.requireNonNull(scheduler, "scheduler");
        this.lockstep = new ExternalSchedulerClock(scheduler, () -> scheduler.now(TimeUnit.NANOSECONDS),
                (wakeup, delayNanos) -> scheduler.scheduleDirect(wakeup, delayNanos, TimeUnit.NANOSECONDS));
    }

    /**
     * The lockstep part of {@code loop}'s clock, if it runs in lockstep with a library scheduler: a
     * {@link SchedulerClock}'s, or the Reactor bridge's virtual-time clock. Any thread.
     *
     * @return the lockstep, or {@code null} for any other clock
     */
    static ExternalSchedulerClock lockstepOf(EventLoop loop) {
        Clock c = loop.getClock();
        if (c instanceof SchedulerClock s) {
            return s.lockstep;
        }
        return c instanceof ExternalSchedulerClock e ? e : null;
    }

    /** @return {@code scheduler.now(NANOSECONDS)} */
    @Override
    public long nanoTime() {
        return lockstep.nanoTime();
    }

    /** @return {@code true}: the loop waits for the scheduler instead of sleeping in real time */
    @Override
    public boolean isVirtual() {
        return true;
    }

    /**
     * The scheduler this clock reads and schedules its wakeups on.
     *
     * @return the scheduler
     */
    public Scheduler getScheduler() {
        return scheduler;
    }

    @Override
    public String toString() {
        return "SchedulerClock[" + scheduler + "]";
    }
}
