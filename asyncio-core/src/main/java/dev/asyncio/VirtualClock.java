package dev.asyncio;

import dev.asyncio.engine.ClockDriver;
import dev.asyncio.engine.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Clock} that moves only when told, so that a test of an hour-long sleep runs in
 * milliseconds.
 *
 * <p>Two modes:
 * <ul>
 *   <li><b>auto-jump</b> ({@code new VirtualClock(true)}): when a loop on this clock has nothing
 *       runnable and no outside work in flight (executor jobs, threadsafe calls, I/O), time jumps to the
 *       loop's next deadline. An {@code asyncio.run}-style program then runs to completion as fast as
 *       its callbacks run, with every timer firing in deadline order.</li>
 *   <li><b>manual</b> ({@code new VirtualClock(false)}): time moves only through {@link #advanceBy} or
 *       {@link #advanceTo}, from a coroutine of the loop or from any other thread; an idle loop waits
 *       for that.</li>
 * </ul>
 * Time starts at 0. It never moves backwards. All methods are thread-safe.
 */
public final class VirtualClock implements Clock {
    static {
        ClockDriver.register(VirtualClock.class, clock -> ClockDriver.calling(clock::jumpTo, (wakeup, deadline) -> clock.wakeAt(deadline, wakeup)));
    }

    private volatile long now;
    private volatile boolean autoJump;
    private final List<Runnable> wakeups = new ArrayList<>();

    /** Creates an auto-jumping clock reading 0. */
    public VirtualClock() {
        this(true);
    }

    /**
     * @param autoJump whether an idle loop jumps to its next deadline by itself
     */
    public VirtualClock(boolean autoJump) {
        this.autoJump = autoJump;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public boolean isVirtual() {
        return true;
    }

    /** @return whether idle loops jump to their next deadline */
    public boolean isAutoJump() {
        return autoJump;
    }

    /**
     * Switches between auto-jump and manual mode; takes effect at the loop's next idle moment.
     *
     * @param autoJump the new mode
     */
    public void setAutoJump(boolean autoJump) {
        this.autoJump = autoJump;
        wakeLoops();
    }

    /**
     * Moves time forward. Timers that become due fire at the waiting loops' next iteration, in deadline
     * order.
     *
     * @param delta how far to move, not negative
     * @throws IllegalArgumentException if {@code delta} is negative
     */
    public void advanceBy(Duration delta) {
        Objects.requireNonNull(delta, "delta");
        if (delta.isNegative()) {
            throw new IllegalArgumentException("a virtual clock cannot move backwards: " + delta);
        }
        long nanos = Durations.toNanosSaturated(delta);
        synchronized (this) {
            now = Math.addExact(now, nanos);
        }
        wakeLoops();
    }

    /**
     * Moves time to {@code nanoTime}.
     *
     * @param nanoTime the new reading, in nanoseconds
     * @throws IllegalArgumentException if it is before the current reading
     */
    public void advanceTo(long nanoTime) {
        synchronized (this) {
            if (nanoTime < now) {
                throw new IllegalArgumentException(
                        "a virtual clock cannot move backwards: now " + now + " ns, asked for " + nanoTime + " ns");
            }
            now = nanoTime;
        }
        wakeLoops();
    }

    /** The loop asks to jump to its next deadline (see {@link ClockDriver#jumpTo}); on the loop's turn. */
    boolean jumpTo(long deadlineNanos) {
        if (!autoJump) {
            return false;
        }
        synchronized (this) {
            if (deadlineNanos > now) {
                now = deadlineNanos;
            }
        }
        return true;
    }

    /** The loop waits until the clock moves (see {@link ClockDriver#wakeAt}); on the loop's turn. */
    void wakeAt(long deadlineNanos, Runnable wakeup) {
        synchronized (wakeups) {
            wakeups.add(wakeup);
        }
    }

    private void wakeLoops() {
        List<Runnable> toWake;
        synchronized (wakeups) {
            if (wakeups.isEmpty()) {
                return;
            }
            toWake = new ArrayList<>(wakeups);
            wakeups.clear();
        }
        toWake.forEach(Runnable::run);
    }

    @Override
    public String toString() {
        return "VirtualClock[" + now + " ns, " + (autoJump ? "auto-jump" : "manual") + "]";
    }
}
