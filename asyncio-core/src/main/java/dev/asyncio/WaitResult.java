package dev.asyncio;

import java.util.Set;

/**
 * What {@link Asyncio#wait(java.util.Collection, java.time.Duration, ReturnWhen)} returns: asyncio's
 * {@code (done, pending)} pair. Both sets are unmodifiable, hold the futures that were passed in (by
 * identity, in the order given) and together hold each of them once.
 *
 * @param done the futures that were done when {@code wait} returned
 * @param pending the futures that were not; {@code wait} never cancels them
 * @param <F> the futures' type, as passed to {@code wait}
 */
public record WaitResult<F extends Future<?>>(Set<F> done, Set<F> pending) {
    /**
     * Wraps both sets as unmodifiable views.
     *
     * @param done the futures that were done
     * @param pending the futures that were not
     */
    public WaitResult {
        done = java.util.Collections.unmodifiableSet(done);
        pending = java.util.Collections.unmodifiableSet(pending);
    }
}
