package dev.asyncio.sync;

/**
 * asyncio's {@code BoundedSemaphore}: a {@link Semaphore} that refuses to be released more often than
 * it was acquired, which catches a double release early.
 *
 * <p>asyncio raises {@code ValueError} for an over-release; here it is an
 * {@link IllegalStateException}, since the argument is fine and it is the semaphore's state (every
 * permit already returned) that forbids the call, as {@link Lock#release()} on an unlocked lock.
 *
 * <p><b>Threads.</b> Not thread-safe, like asyncio's: use it on one loop (see the
 * {@linkplain dev.asyncio.sync package}).
 */
public final class BoundedSemaphore extends Semaphore {
    private final int bound;

    /** Creates a bounded semaphore with one permit. */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * Creates a bounded semaphore with {@code value} permits, which is also the most it can hold.
     *
     * @param value the initial and maximum number of permits
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public BoundedSemaphore(int value) {
        super(value);
        this.bound = value;
    }

    /**
     * Gives a permit back; see {@link Semaphore#release()}.
     *
     * @throws IllegalStateException if every permit is already free ("BoundedSemaphore released too many
     *     times"), or if called off the turn of the loop the semaphore is bound to
     */
    @Override
    public void release() {
        binding.checkAccess("BoundedSemaphore.release()");
        if (value >= bound) {
            throw new IllegalStateException("BoundedSemaphore released too many times: all " + bound
                    + " permits are already free; release() only what acquire() took");
        }
        super.release();
    }
}
