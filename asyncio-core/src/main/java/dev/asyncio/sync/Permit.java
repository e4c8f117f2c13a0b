package dev.asyncio.sync;

/**
 * One successful {@code acquire()} of a {@link Lock}, {@link Semaphore}, {@link BoundedSemaphore} or
 * {@link Condition}, which {@link #close()} gives back: the Java form of asyncio's
 * {@code async with lock:}.
 *
 * <pre>{@code
 * try (Permit held = semaphore.acquire()) {
 *     fetch(url);          // at most N coroutines run this at once
 * }
 * }</pre>
 *
 * <p>Closing releases exactly once: a second {@code close()} does nothing. Use either the permit or the
 * primitive's {@code release()}, not both, or the primitive is released twice. Like the primitive, a
 * permit belongs to its loop: close it on that loop's turn.
 */
public interface Permit extends AutoCloseable {
    /**
     * Releases the acquisition this permit stands for, the first time it is called; later calls do
     * nothing.
     *
     * @throws IllegalStateException if called off the turn of the loop the primitive is bound to, or if
     *     the primitive was already released by other means (for a {@link Lock}: "Lock is not acquired")
     */
    @Override
    void close();
}
