package dev.asyncio;

/**
 * When {@link Asyncio#wait(java.util.Collection, java.time.Duration, ReturnWhen)} returns (asyncio's
 * {@code FIRST_COMPLETED}, {@code FIRST_EXCEPTION}, {@code ALL_COMPLETED}); in every case it also
 * returns when its timeout expires.
 */
public enum ReturnWhen {
    /** As soon as any future finishes or is cancelled. */
    FIRST_COMPLETED,
    /**
     * As soon as any future finishes with an exception (a cancelled future does not count), or when all
     * have finished.
     */
    FIRST_EXCEPTION,
    /** When all futures have finished or been cancelled. */
    ALL_COMPLETED
}
