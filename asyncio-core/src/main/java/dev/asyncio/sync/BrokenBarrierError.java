package dev.asyncio.sync;

/**
 * asyncio's {@code BrokenBarrierError}: raised by {@link Barrier#await()} when the barrier is aborted,
 * or is reset while the calling coroutine waits in it.
 *
 * <p>Unchecked, like every asyncio error here; unlike {@link java.util.concurrent.BrokenBarrierException}
 * it need not be declared by coroutines.
 */
public class BrokenBarrierError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message why the barrier is broken
     */
    public BrokenBarrierError(String message) {
        super(message);
    }
}
