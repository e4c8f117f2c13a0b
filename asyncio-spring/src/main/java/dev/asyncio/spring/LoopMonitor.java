package dev.asyncio.spring;

import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import dev.asyncio.internal.LoopInternals;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the loops of an {@link AsyncioLoops} pool from one daemon platform thread
 * ({@code asyncio-loops-monitor}), at a cost the production path does not notice:
 * <ul>
 *   <li><b>slow steps</b>, always on (not only in debug mode): a few times per threshold it reads how long
 *       each loop's current iteration has run ({@link LoopInternals#busyNanos}, a field the loop stamps
 *       anyway for {@link AsyncioLoops#next()}) and which task holds the turn. A single step that has held
 *       a loop past the threshold is counted once ({@link #slowSteps}) and logged, at most once per log
 *       interval for the whole pool (the others are counted and mentioned in the next line), with the task's
 *       name, the top of its stack, and the non-blocking form of the blocking call it is in. The log goes to
 *       the {@link System.Logger} {@code dev.asyncio.spring.SlowSteps} at {@code WARNING}, which Spring Boot
 *       routes to its logging system;</li>
 *   <li><b>samples for meters</b>, if asked: once a second it posts a probe to each loop
 *       ({@code callSoonThreadsafe}) that records, on the loop's turn, how long it waited to run (the loop's
 *       lag), the pending tasks and the ready queue's length. A loop that has not yet run the previous probe
 *       gets no new one, and its lag reads as the time that probe has been waiting.</li>
 * </ul>
 * Started by the constructor, ended by {@link #close()}. Thread-safe.
 */
final class LoopMonitor implements AutoCloseable {
    /** How often the meters' samples are taken. */
    static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(1);
    private static final long SAMPLE_NANOS = SAMPLE_INTERVAL.toNanos();
    private static final long MIN_PERIOD_NANOS = Duration.ofMillis(5).toNanos();
    private static final long MAX_PERIOD_NANOS = Duration.ofMillis(250).toNanos();
    /** Frames of a slow step's stack in its log line: enough to see the handler below the blocking call. */
    private static final int LOGGED_FRAMES = 12;
    private static final System.Logger LOG = System.getLogger("dev.asyncio.spring.SlowSteps");

    /** What the monitor knows of one loop. */
    static final class Watched {
        final EventLoop loop;
        final String name;
        final LongAdder slowSteps = new LongAdder();
        // Slow-step detection: monitor thread only.
        private long lastSample;
        private long iterationStart;
        private Object holder;
        private long stepStartBound;
        private boolean counted;
        // Samples: written on the loop's turn, read by meters on any thread.
        private final AtomicBoolean probePending = new AtomicBoolean();
        private volatile long probePostedNanos;
        private volatile long lagNanos;
        private volatile int tasks;
        private volatile int ready;

        Watched(EventLoop loop, String name) {
            this.loop = loop;
            this.name = name;
        }

        /** @return the loop's lag: the last probe's wait, or the current one's if it is still waiting and longer */
        long lagNanos() {
            long lag = lagNanos;
            return probePending.get() ? Math.max(lag, System.nanoTime() - probePostedNanos) : lag;
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
    private final long logIntervalNanos;
    private final boolean sampling;
    private final long periodNanos;
    private final Thread thread;
    private long lastLogNanos;
    private boolean loggedOnce;
    private long unlogged;
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
        this.logIntervalNanos = logInterval.toNanos();
        this.sampling = sampling;
        this.periodNanos = threshold == null ? SAMPLE_NANOS : Math.clamp(thresholdNanos / 4, MIN_PERIOD_NANOS, MAX_PERIOD_NANOS);
        this.thread = Thread.ofPlatform().daemon().name("asyncio-loops-monitor").start(this::run);
    }

    /** @return what the monitor knows of each loop, in the pool's order */
    List<Watched> watched() {
        return watched;
    }

    private void run() {
        long nextSample = System.nanoTime();
        while (!closed) {
            long now = System.nanoTime();
            if (thresholdNanos > 0) {
                for (Watched w : watched) {
                    inspect(w, now);
                }
            }
            long park = periodNanos;
            if (sampling) {
                if (now - nextSample >= 0) {
                    watched.forEach(LoopMonitor::probe);
                    nextSample = now + SAMPLE_NANOS;
                }
                park = Math.min(park, nextSample - now);
            }
            LockSupport.parkNanos(this, Math.max(park, MIN_PERIOD_NANOS));
            // Nothing but close() ends this thread: an interrupt would only make every park return at once.
            Thread.interrupted();
        }
    }

    /**
     * One sample of a loop for slow-step detection. A step is "the same" while the same task (or callback)
     * holds the turn within the same iteration; it started after the last sample that saw another holder
     * (and after the iteration began), so that bounds its time from above, to within one sampling period.
     */
    private void inspect(Watched w, long now) {
        long previousSample = w.lastSample;
        w.lastSample = now;
        long busy = LoopInternals.busyNanos(w.loop, now);
        if (busy < 0) {
            w.holder = null; // waiting for work
            return;
        }
        long iterationStart = now - busy;
        Task<?> task = LoopInternals.currentTaskOf(w.loop);
        Object holder = task != null ? task : LoopInternals.turnHolder(w.loop);
        if (holder != w.holder || iterationStart != w.iterationStart) {
            w.holder = holder;
            w.iterationStart = iterationStart;
            w.stepStartBound = previousSample == 0 ? iterationStart : Math.max(previousSample, iterationStart);
            w.counted = false;
        }
        long held = now - w.stepStartBound;
        if (held < thresholdNanos || w.counted) {
            return;
        }
        w.counted = true;
        w.slowSteps.increment();
        if (loggedOnce && now - lastLogNanos < logIntervalNanos) {
            unlogged++;
            return;
        }
        loggedOnce = true;
        lastLogNanos = now;
        long others = unlogged;
        unlogged = 0;
        Thread holderThread = LoopInternals.turnHolder(w.loop);
        List<StackTraceElement> stack = holderThread == null ? List.of() : Arrays.asList(holderThread.getStackTrace());
        LOG.log(System.Logger.Level.WARNING, message(w, task, held, stack, others));
    }

    private String message(Watched w, Task<?> task, long heldNanos, List<StackTraceElement> stack, long others) {
        StringBuilder sb = new StringBuilder();
        sb.append(task != null ? "Task '" + task.getName() + "'" : "A callback").append(" has held event loop ")
                .append(w.name).append(" for about ").append(Duration.ofNanos(heldNanos).toMillis())
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

    private static void probe(Watched w) {
        if (!w.probePending.compareAndSet(false, true)) {
            return; // the loop has not run the last one yet: its lag grows in lagNanos()
        }
        long posted = System.nanoTime();
        w.probePostedNanos = posted;
        try {
            w.loop.callSoonThreadsafe(() -> {
                w.lagNanos = System.nanoTime() - posted;
                w.tasks = w.loop.allTasks().size();
                w.ready = LoopInternals.readyCount(w.loop);
                w.probePending.set(false);
            });
        } catch (IllegalStateException closedLoop) {
            // The pool is closing; close() ends this thread too.
        }
    }

    /** Stops the monitor thread and waits for it (briefly: it parks at most a sampling period). */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
