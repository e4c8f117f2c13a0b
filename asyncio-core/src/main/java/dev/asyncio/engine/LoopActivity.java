package dev.asyncio.engine;

import java.util.function.BooleanSupplier;

/**
 * Whether a running loop is waiting for work, and since when it has been busy otherwise: what a pool of
 * loops reads to hand a new task to a loop that is awake and keeping up, instead of waking a sleeping one
 * (a context switch per request) or queueing behind one that is blocked.
 *
 * <p>Off by default: a loop pays nothing for it until a pool turns it on ({@link #track()}); from then on
 * each iteration stamps its start with one {@link System#nanoTime()}. Read from any thread; the figures
 * are a snapshot that may be stale by the time the caller acts on it, which is fine for placing work and
 * for nothing else.
 */
public final class LoopActivity {
    /** Whether the loop waits for work now (parked, or in a blocking select): its poller's state. */
    private final BooleanSupplier waiting;
    private volatile boolean tracked;
    /** {@link System#nanoTime()} when the current iteration began, while {@link #tracked}. */
    private volatile long iterationStart;

    /**
     * @param waiting whether the loop waits for work now (parked, or in a blocking select); any thread
     */
    public LoopActivity(BooleanSupplier waiting) {
        this.waiting = waiting;
    }

    /** Turns the stamping on; any thread. */
    public void track() {
        iterationStart = System.nanoTime();
        tracked = true;
    }

    /** On the turn: an iteration begins, or resumes after the loop waited for work. */
    public void iterationBegins() {
        if (tracked) {
            iterationStart = System.nanoTime();
        }
    }

    /**
     * @param now {@link System#nanoTime()} of the caller
     * @return -1 while the loop waits for work (parked or in a blocking select); else how long its current
     *     iteration has run, in nanoseconds (meaningless unless {@link #track()} was called); any thread
     */
    public long busyNanos(long now) {
        if (waiting.getAsBoolean()) {
            return -1;
        }
        return Math.max(0, now - iterationStart);
    }
}
