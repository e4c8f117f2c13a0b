package dev.asyncio.engine;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Debug mode of one loop (asyncio's {@code set_debug}): the switch, the slow-callback threshold and
 * listener, the measurement of each task step or callback (a <em>slice</em> of the turn), and the record
 * of the one in flight that the {@link Watchdog} samples while the loop runs. Kept apart so that the
 * loop's dispatch pays one volatile read when debug mode is off, and everything it measures when on is in
 * one place.
 *
 * <p>The engine names no API type: a slice's owner (the task or the callback's handle) is an
 * {@link Object} here, and the report the listener receives ({@code R}, the API's {@code SlowCallback}) is
 * made by the {@link Reports} the loop supplies. Reports go to the listener, or by default to the
 * {@link System.Logger} {@code dev.asyncio} at {@code WARNING}.
 *
 * <p>The switch, the threshold and the listener are read and set from any thread (the watchdog's among
 * them); the slice methods run only on the loop's turn.
 *
 * @param <R> the type of the slow-callback report
 */
public final class LoopDebug<R> implements Watchdog.Watched {
    /**
     * Makes the report of a slow slice, on the loop's turn (a final report) or on the watchdog's thread
     * (a report in progress).
     *
     * @param <R> the type of the report
     */
    @FunctionalInterface
    public interface Reports<R> {
        /**
         * @param owner the slice's owner, as given to {@link #startSlice} or {@link #startCallback}
         * @param elapsedNanos how long it had held the turn when reported
         * @param inProgress whether it still held the turn when reported
         * @param stack the stack of the thread holding the turn, innermost frame first; empty in final reports
         * @return the report for the listener
         */
        R report(Object owner, long elapsedNanos, boolean inProgress, List<StackTraceElement> stack);
    }

    private static final Logger LOG = System.getLogger("dev.asyncio");
    /** Bounds of the watchdog's sampling period: responsive for small thresholds, cheap for large ones. */
    private static final long MIN_PERIOD_NANOS = Duration.ofMillis(2).toNanos();
    private static final long MAX_PERIOD_NANOS = Duration.ofMillis(250).toNanos();

    /** The loop's engine: whose turn-holding thread's stack a report in progress shows. */
    private final LoopEngine engine;
    private final Reports<R> reports;
    private volatile boolean enabled = Boolean.getBoolean("dev.asyncio.debug");
    private volatile Duration slowCallbackDuration = Duration.ofMillis(100);
    private volatile Consumer<? super R> listener;
    /** The slice holding the turn, published for the {@link Watchdog}; debug mode only. */
    private volatile InFlight inFlight;
    // On the turn only.
    private long sliceStart;
    private Object sliceOwner;
    // Guarded by this: whether a run is in progress, and whether the watchdog watches this loop.
    private boolean running;
    private boolean watched;

    /** A slice holding a debug-mode loop's turn. Immutable but for {@link #reportedUpTo}. */
    private static final class InFlight {
        final Object owner;
        /** {@link System#nanoTime()} when it got the turn. */
        final long startNanos;
        /** How long it had run at the watchdog's last report about it; 0 before the first. Watchdog thread only. */
        long reportedUpTo;

        InFlight(Object owner, long startNanos) {
            this.owner = owner;
            this.startNanos = startNanos;
        }
    }

    /**
     * @param engine the loop's engine, whose turn holder the watchdog samples
     * @param reports makes the listener's reports
     */
    public LoopDebug(LoopEngine engine, Reports<R> reports) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.reports = Objects.requireNonNull(reports, "reports");
    }

    /** @return whether debug mode is on; any thread */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Turns debug mode on or off; any thread. While the loop runs, the watchdog starts or stops watching it.
     *
     * @param on the new mode
     */
    public synchronized void setEnabled(boolean on) {
        enabled = on;
        updateWatch();
    }

    /** The loop's host starts a run (or the close): a debug-mode loop is watched from now on. */
    public synchronized void runStarts() {
        running = true;
        updateWatch();
    }

    /** The loop's run (or close) ended: nothing holds the turn any more, and nothing is watched. */
    public synchronized void runEnds() {
        running = false;
        inFlight = null;
        updateWatch();
    }

    private void updateWatch() {
        boolean watch = running && enabled;
        if (watch != watched) {
            watched = watch;
            if (watch) {
                Watchdog.watch(this);
            } else {
                Watchdog.unwatch(this);
            }
        }
    }

    /** @return the duration above which a slice is reported; any thread */
    public Duration slowCallbackDuration() {
        return slowCallbackDuration;
    }

    /**
     * @param duration the new threshold, not negative (the caller checks); any thread
     */
    public void setSlowCallbackDuration(Duration duration) {
        this.slowCallbackDuration = duration;
    }

    /** @return the receiver of the reports, or {@code null} for the default logging; any thread */
    public Consumer<? super R> slowCallbackListener() {
        return listener;
    }

    /**
     * @param listener the receiver of the reports, or {@code null} for the default logging; any thread
     */
    public void setSlowCallbackListener(Consumer<? super R> listener) {
        this.listener = listener;
    }

    /**
     * On the turn: a task's step begins; measured until the next {@link #endSlice()}.
     *
     * @param owner the task
     */
    public void startSlice(Object owner) {
        sliceOwner = owner;
        sliceStart = System.nanoTime();
        inFlight = new InFlight(owner, sliceStart);
    }

    /** On the turn: the step begun by {@link #startSlice} (if any) ended; reported if it was slow. */
    public void endSlice() {
        Object owner = sliceOwner;
        inFlight = null;
        if (owner != null) {
            sliceOwner = null;
            reportIfSlow(owner, System.nanoTime() - sliceStart);
        }
    }

    /**
     * On the turn: a callback begins.
     *
     * @param handle the callback's handle
     * @return its start time, for {@link #endCallback}
     */
    public long startCallback(Object handle) {
        long start = System.nanoTime();
        inFlight = new InFlight(handle, start);
        return start;
    }

    /**
     * On the turn: the callback begun at {@code start} ended; reported if it was slow.
     *
     * @param handle the callback's handle
     * @param start what {@link #startCallback} returned
     */
    public void endCallback(Object handle, long start) {
        inFlight = null;
        reportIfSlow(handle, System.nanoTime() - start);
    }

    private void reportIfSlow(Object owner, long nanos) {
        if (nanos > slowCallbackDuration.toNanos()) {
            deliver(reports.report(owner, nanos, false, List.of()));
        }
    }

    /** @return a quarter of the slow-callback duration, within 2 ms and 250 ms: for the watchdog */
    @Override
    public long periodNanos() {
        return Math.clamp(slowCallbackDuration.toNanos() / 4, MIN_PERIOD_NANOS, MAX_PERIOD_NANOS);
    }

    /**
     * One sample by the watchdog's thread: a slice that has held the turn past the threshold is reported
     * with the stack where it is stuck, again each time its time doubles.
     */
    @Override
    public void sample() {
        InFlight step = inFlight;
        if (step == null) {
            return;
        }
        long elapsed = System.nanoTime() - step.startNanos;
        if (elapsed <= slowCallbackDuration.toNanos() || elapsed < 2 * step.reportedUpTo) {
            return;
        }
        Thread holder = engine.turnHolder();
        StackTraceElement[] stack = holder == null ? new StackTraceElement[0] : holder.getStackTrace();
        if (inFlight != step) {
            return; // it ended while the stack was taken: the stack would describe something else
        }
        if (stack.length == 0) {
            // The task's thread has not begun to run yet (e.g. the JVM is still starting its first virtual
            // threads): the time is the loop's own, not the task's; look again at the next sample.
            return;
        }
        step.reportedUpTo = elapsed;
        deliver(reports.report(step.owner, elapsed, true, Arrays.asList(stack)));
    }

    /** To the listener, or logged; on the turn or on the watchdog's thread. */
    private void deliver(R report) {
        Consumer<? super R> l = listener;
        if (l == null) {
            LOG.log(Level.WARNING, report.toString());
            return;
        }
        try {
            l.accept(report);
        } catch (Throwable e) {
            LOG.log(Level.ERROR, "Unhandled error in the slow-callback listener; the report was: " + report, e);
        }
    }
}
