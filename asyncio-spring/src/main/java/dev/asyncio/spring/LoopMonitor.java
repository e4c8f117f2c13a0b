package dev.asyncio.spring;

import dev.asyncio.EventLoop;
import dev.asyncio.internal.LoopInternals;
import dev.asyncio.internal.SlowStep;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Watches the loops of an {@link AsyncioLoops} pool, at a cost the production path does not notice, without
 * a thread of its own:
 * <ul>
 *   <li><b>slow steps</b>, always on (not only in debug mode): the core's watchdog thread, which also serves
 *       debug mode, samples the loops a few times per threshold ({@link LoopInternals#watchSlowSteps}). A
 *       single step that has held a loop past the threshold is counted once ({@link Watched#slowSteps}) and
 *       logged, at most once per log interval for the whole pool (the others are counted and mentioned in the
 *       next line), with the task's name, the top of its stack, and the non-blocking form of the blocking call
 *       it is in. The log goes to the {@link System.Logger} {@code dev.asyncio.spring.SlowSteps} at
 *       {@code WARNING}, which Spring Boot routes to its logging system;</li>
 *   <li><b>samples for meters</b>, if asked: each loop runs a probe once a second, a timer of its own, that
 *       records on the loop's turn how late it ran (the loop's lag), the pending tasks and the ready queue's
 *       length. While a probe is overdue, the lag reads as how long it has been overdue.</li>
 * </ul>
 * Started by the constructor, ended by {@link #close()}. Thread-safe.
 */
final class LoopMonitor implements AutoCloseable {
    /** How often the meters' samples are taken. */
    static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(1);
    private static final long SAMPLE_NANOS = SAMPLE_INTERVAL.toNanos();
    /** Frames of a slow step's stack in its log line: enough to see the handler below the blocking call. */
    private static final int LOGGED_FRAMES = 12;
    private static final System.Logger LOG = System.getLogger("dev.asyncio.spring.SlowSteps");

    /** What the monitor knows of one loop. */
    static final class Watched {
        final EventLoop loop;
        final String name;
        final LongAdder slowSteps = new LongAdder();
        // Samples: written on the loop's turn, read by meters on any thread.
        private volatile boolean probePending;
        /** {@link System#nanoTime()} at which the pending probe is due. */
        private volatile long probeDueNanos;
        private volatile long lagNanos;
        private volatile int tasks;
        private volatile int ready;

        Watched(EventLoop loop, String name) {
            this.loop = loop;
            this.name = name;
        }

        /** @return the loop's lag: the last probe's lateness, or the pending one's if it is overdue by more */
        long lagNanos() {
            long lag = lagNanos;
            return probePending ? Math.max(lag, System.nanoTime() - probeDueNanos) : lag;
        }

        /** @return the loop's pending tasks at the last sample */
        int tasks() {
            return tasks;
        }

        /** @return the loop's ready-queue length at the last sample */
        int ready() {
            return ready;
        }
    }

    private final List<Watched> watched;
    private final long thresholdNanos;
    /** Stops the slow-step watch, or {@code null} without one. */
    private final Runnable slowStepWatch;
    private volatile boolean closed;

    /**
     * Starts watching.
     *
     * @param pool the pool
     * @param threshold how long a step may hold its loop before it is reported, or {@code null} for no
     *     slow-step detection
     * @param logInterval at most one slow-step log line per this interval
     * @param sampling whether to take the meters' samples
     * @throws IllegalArgumentException if {@code threshold} is not positive
     */
    LoopMonitor(AsyncioLoops pool, Duration threshold, Duration logInterval, boolean sampling) {
        if (threshold != null && (threshold.isNegative() || threshold.isZero())) {
            throw new IllegalArgumentException("asyncio.slow-steps.threshold must be positive, got " + threshold);
        }
        List<EventLoop> loops = pool.loops();
        Watched[] ws = new Watched[loops.size()];
        for (int i = 0; i < ws.length; i++) {
            ws[i] = new Watched(loops.get(i), AsyncioLoops.THREAD_NAME_PREFIX + i);
        }
        this.watched = List.of(ws);
        this.thresholdNanos = threshold == null ? 0 : threshold.toNanos();
        this.slowStepWatch = threshold == null ? null
                : LoopInternals.watchSlowSteps(loops, threshold, logInterval, this::slowStep);
        if (sampling) {
            watched.forEach(this::startProbes);
        }
    }

    /** @return what the monitor knows of each loop, in the pool's order */
    List<Watched> watched() {
        return watched;
    }

    /** From the core's watchdog thread: count every slow step, log the reported ones. */
    private void slowStep(SlowStep step) {
        Watched w = watched.get(indexOf(step.loop()));
        w.slowSteps.increment();
        if (step.reported()) {
            LOG.log(System.Logger.Level.WARNING, message(w, step));
        }
    }

    private int indexOf(EventLoop loop) {
        for (int i = 0; i < watched.size(); i++) {
            if (watched.get(i).loop == loop) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a loop of the pool: " + loop);
    }

    private String message(Watched w, SlowStep step) {
        List<StackTraceElement> stack = step.stack();
        long others = step.unreported();
        StringBuilder sb = new StringBuilder();
        sb.append(step.task() != null ? "Task '" + step.task().getName() + "'" : "A callback").append(" has held event loop ")
                .append(w.name).append(" for about ").append(step.held().toMillis())
                .append(" ms and is still running (asyncio.slow-steps.threshold=")
                .append(Duration.ofNanos(thresholdNanos).toMillis()).append("ms): the other tasks and requests on that loop wait "
                        + "meanwhile. ")
                .append(LoopInternals.blockingCallAdvice(stack));
        if (others > 0) {
            sb.append(" (").append(others).append(" more slow step").append(others == 1 ? "" : "s")
                    .append(" since the last report; asyncio.slow-steps.log-interval limits these lines)");
        }
        sb.append(" It is at:");
        for (StackTraceElement e : stack.subList(0, Math.min(LOGGED_FRAMES, stack.size()))) {
            sb.append("\n\tat ").append(e);
        }
        return sb.toString();
    }

    /** The first probe runs as soon as the loop can; each schedules the next on the loop's timers. */
    private void startProbes(Watched w) {
        w.probeDueNanos = System.nanoTime();
        w.probePending = true;
        try {
            w.loop.callSoonThreadsafe(() -> probe(w));
        } catch (IllegalStateException closedLoop) {
            w.probePending = false; // the pool is closing
        }
    }

    /** On the loop's turn. */
    private void probe(Watched w) {
        long now = System.nanoTime();
        w.lagNanos = Math.max(0, now - w.probeDueNanos);
        w.tasks = w.loop.allTasks().size();
        w.ready = LoopInternals.readyCount(w.loop);
        if (closed) {
            w.probePending = false;
            return;
        }
        w.probeDueNanos = now + SAMPLE_NANOS;
        w.loop.callLater(SAMPLE_INTERVAL, () -> probe(w));
    }

    /** Stops the slow-step watch and the probes (each loop runs at most one more). */
    @Override
    public void close() {
        closed = true;
        if (slowStepWatch != null) {
            slowStepWatch.run();
        }
    }
}
