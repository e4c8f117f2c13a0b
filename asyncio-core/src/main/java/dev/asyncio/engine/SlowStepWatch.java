package dev.asyncio.engine;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The watchdog's always-on mode: a watch of a group of loops (a pool) for slow steps, outside debug mode
 * and at a cost the loops do not notice. The {@link Watchdog}'s thread samples each loop a few times per
 * threshold: how long its current iteration has run ({@link LoopEngine#busyNanos}, which the loop stamps
 * anyway once {@link LoopEngine#trackActivity()} is on) and who holds the turn. A step is "the same" while
 * the same task (or, for callbacks, the same thread) holds the turn within the same iteration; it started
 * after the last sample that saw another holder (and after the iteration began), which bounds its time to
 * within one sampling period. Unlike debug mode, the loop publishes nothing per step.
 *
 * <p>A step that has held its loop past the threshold is passed to the listener once. At most one per report
 * interval, for the whole group, is <em>reported</em>: it comes with the stack of the thread holding the turn
 * and the number of slow steps not reported since the previous report; the others come without a stack, to
 * be counted. The listener runs on the watchdog's thread and must be quick; an exception it throws is
 * logged and dropped.
 *
 * <p>Watched from construction until {@link #close()}. Thread-safe.
 */
public final class SlowStepWatch implements Watchdog.Watched, AutoCloseable {
    private static final long MIN_PERIOD_NANOS = Duration.ofMillis(5).toNanos();
    private static final long MAX_PERIOD_NANOS = Duration.ofMillis(250).toNanos();

    /** Receives the slow steps, on the watchdog's thread. */
    @FunctionalInterface
    public interface Listener {
        /**
         * A step has held {@code loop} past the threshold; called once per step.
         *
         * @param loop the loop held
         * @param task the task whose step it is, as the watch's {@code taskOf} gave it, or {@code null} for a callback
         * @param heldNanos how long it had held the turn when seen, to within one sampling period
         * @param stack where the thread holding the turn is, innermost frame first, if {@code reported}; else empty
         * @param reported whether this one is reported (the first of its report interval) or only to be counted
         * @param unreported if {@code reported}: the slow steps not reported since the previous report; else 0
         */
        void slowStep(Object loop, Object task, long heldNanos, List<StackTraceElement> stack, boolean reported,
                long unreported);
    }

    /** What the watch knows of one loop; watchdog thread only. */
    private static final class Loop {
        final Object loop;
        final LoopEngine engine;
        long lastSample;
        long iterationStart;
        Object holder;
        long stepStartBound;
        boolean counted;

        Loop(Object loop) {
            this.loop = loop;
            this.engine = LoopEngine.of(loop);
        }
    }

    private final Loop[] loops;
    private final Function<Object, Object> taskOf;
    private final long thresholdNanos;
    private final long reportIntervalNanos;
    private final Listener listener;
    // Watchdog thread only.
    private long lastReportNanos;
    private boolean reportedOnce;
    private long unreported;

    /**
     * Starts watching {@code loops}, turning their activity stamps on.
     *
     * @param loops the loops of the group
     * @param taskOf the task whose step holds a loop's turn now, or {@code null}: a racy read from the watchdog's thread
     * @param threshold how long a step may hold its loop before it is passed to the listener
     * @param reportInterval at most one reported step per this interval, for the whole group
     * @param listener receives the slow steps
     * @throws IllegalArgumentException if {@code threshold} is not positive or {@code reportInterval} is negative
     */
    public SlowStepWatch(List<?> loops, Function<Object, Object> taskOf, Duration threshold, Duration reportInterval,
            Listener listener) {
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("the slow-step threshold must be positive, got " + threshold);
        }
        if (reportInterval.isNegative()) {
            throw new IllegalArgumentException("the slow-step report interval must not be negative, got " + reportInterval);
        }
        this.loops = loops.stream().map(Loop::new).toArray(Loop[]::new);
        this.taskOf = Objects.requireNonNull(taskOf, "taskOf");
        this.thresholdNanos = threshold.toNanos();
        this.reportIntervalNanos = reportInterval.toNanos();
        this.listener = Objects.requireNonNull(listener, "listener");
        for (Loop l : this.loops) {
            l.engine.trackActivity();
        }
        Watchdog.watch(this);
    }

    /** Stops watching; any thread. The listener may still be running its last call. */
    @Override
    public void close() {
        Watchdog.unwatch(this);
    }

    /** @return a quarter of the threshold, within 5 ms and 250 ms: for the watchdog */
    @Override
    public long periodNanos() {
        return Math.clamp(thresholdNanos / 4, MIN_PERIOD_NANOS, MAX_PERIOD_NANOS);
    }

    /** One sample of every loop of the group, on the watchdog's thread. */
    @Override
    public void sample() {
        long now = System.nanoTime();
        for (Loop l : loops) {
            inspect(l, now);
        }
    }

    private void inspect(Loop l, long now) {
        long previousSample = l.lastSample;
        l.lastSample = now;
        long busy = l.engine.busyNanos(now);
        if (busy < 0) {
            l.holder = null; // waiting for work
            return;
        }
        long iterationStart = now - busy;
        Object task = taskOf.apply(l.loop);
        Object holder = task != null ? task : l.engine.turnHolder();
        if (holder != l.holder || iterationStart != l.iterationStart) {
            l.holder = holder;
            l.iterationStart = iterationStart;
            l.stepStartBound = previousSample == 0 ? iterationStart : Math.max(previousSample, iterationStart);
            l.counted = false;
        }
        long held = now - l.stepStartBound;
        if (held < thresholdNanos || l.counted) {
            return;
        }
        l.counted = true;
        if (reportedOnce && now - lastReportNanos < reportIntervalNanos) {
            unreported++;
            listener.slowStep(l.loop, task, held, List.of(), false, 0);
            return;
        }
        reportedOnce = true;
        lastReportNanos = now;
        long others = unreported;
        unreported = 0;
        Thread holderThread = l.engine.turnHolder();
        List<StackTraceElement> stack = holderThread == null ? List.of() : Arrays.asList(holderThread.getStackTrace());
        listener.slowStep(l.loop, task, held, stack, true, others);
    }
}
