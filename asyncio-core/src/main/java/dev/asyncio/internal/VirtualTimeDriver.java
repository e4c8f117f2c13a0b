package dev.asyncio.internal;

/**
 * How an idle loop moves one of the bridges' virtual clocks (the test kit's {@code TestClock}, RxJava's
 * {@code SchedulerClock}, {@link ExternalSchedulerClock}): these calls are not part of the public
 * {@code dev.asyncio.Clock}; a clock class registers its driver with
 * {@link LoopInternals#registerVirtualTime}, and a loop looks it up once, when it is created.
 */
public interface VirtualTimeDriver {
    /**
     * Asked by an idle loop whose next timer is due at {@code deadlineNanos} when nothing is runnable and
     * nothing outside the loop is in flight; on the loop's turn.
     *
     * @param deadlineNanos the next deadline, later than the clock's reading
     * @return whether the clock now reads at least {@code deadlineNanos} (it jumped); {@code false} and the
     *     loop waits
     */
    boolean jumpTo(long deadlineNanos);

    /**
     * Asked by a loop that is about to wait for {@code deadlineNanos}, on its turn: run {@code wakeup} (on
     * any thread) once the clock has moved, at the latest when it reaches the deadline.
     *
     * @param deadlineNanos the deadline the loop waits for
     * @param wakeup thread-safe action that wakes the loop
     */
    void wakeAt(long deadlineNanos, Runnable wakeup);
}
