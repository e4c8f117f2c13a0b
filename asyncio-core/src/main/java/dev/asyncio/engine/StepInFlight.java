package dev.asyncio.engine;

/**
 * A task step or callback that holds a debug-mode loop's turn, published (volatile) by the loop for its
 * watchdog thread, which reports a step that runs too long. Immutable but for {@link #reportedUpTo}, which
 * only the watchdog thread uses.
 */
public final class StepInFlight {
    /** The task whose step runs, or the handle of the callback; the engine does not look inside it. */
    public final Object owner;
    /** {@link System#nanoTime()} when it got the turn. */
    public final long startNanos;
    /** How long it had run at the watchdog's last report about it; 0 before the first. Watchdog thread only. */
    public long reportedUpTo;

    /**
     * On the loop's turn, as the step or callback gets it.
     *
     * @param owner the task or the callback's handle
     * @param startNanos {@link System#nanoTime()} now
     */
    public StepInFlight(Object owner, long startNanos) {
        this.owner = owner;
        this.startNanos = startNanos;
    }
}
