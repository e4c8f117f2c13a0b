package dev.asyncio;

/**
 * A task step or callback that holds a debug-mode loop's turn, published (volatile) by the loop for
 * its {@link Watchdog}. Immutable but for {@link #reportedUpTo}, which only the watchdog thread uses.
 */
final class StepInFlight {
    /** The {@link Task} whose step runs, or the {@link Handle} of the callback. */
    final Object owner;
    /** {@link System#nanoTime()} when it got the turn. */
    final long startNanos;
    /** How long it had run at the watchdog's last report about it; 0 before the first. */
    long reportedUpTo;

    StepInFlight(Object owner, long startNanos) {
        this.owner = owner;
        this.startNanos = startNanos;
    }
}
