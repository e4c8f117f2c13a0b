package dev.asyncio;

/**
 * The time source of an {@link EventLoop}: monotonic, in nanoseconds. {@link EventLoop#time()} reads
 * it in seconds, as asyncio's {@code loop.time()}.
 *
 * <p>A real clock ({@link #system()}) lets an idle loop sleep until its next deadline. A virtual clock
 * ({@link #isVirtual()} is {@code true}, e.g. {@link VirtualClock}, or the adapters over Reactor's and
 * RxJava's test schedulers) never makes the loop sleep in real time: the loop waits until the clock
 * moves ({@link #wakeAt}) or, when nothing is runnable and no outside work is in flight, asks the clock
 * to {@link #jumpTo} the next deadline.
 *
 * <p>Implementations must be thread-safe: {@link #nanoTime()} is read on the loop's turn, the clock
 * may be moved from any thread.
 */
public interface Clock {

    /** @return the current time in nanoseconds; only differences between readings are meaningful */
    long nanoTime();

    /** @return whether this clock moves only when told, so that an idle loop must not sleep in real time */
    default boolean isVirtual() {
        return false;
    }

    /**
     * Asked by an idle loop whose next timer is due at {@code deadlineNanos} when nothing is runnable
     * and nothing outside the loop is in flight. An auto-jumping virtual clock moves to the deadline and
     * returns {@code true}; other clocks return {@code false} and the loop waits.
     *
     * @param deadlineNanos the next deadline, later than {@link #nanoTime()}
     * @return whether the clock now reads at least {@code deadlineNanos}
     */
    default boolean jumpTo(long deadlineNanos) {
        return false;
    }

    /**
     * Asked by a loop that is about to wait on a virtual clock for {@code deadlineNanos}: run
     * {@code wakeup} (on any thread) once the clock has moved, at the latest when it reaches the
     * deadline. Real clocks ignore it, since the loop sleeps with a timeout instead.
     *
     * @param deadlineNanos the deadline the loop waits for
     * @param wakeup thread-safe action that wakes the loop
     */
    default void wakeAt(long deadlineNanos, Runnable wakeup) {
    }

    /** @return the JVM's monotonic clock, {@link System#nanoTime()} */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}

/** {@link System#nanoTime()}, the default clock. */
final class SystemClock implements Clock {
    static final SystemClock INSTANCE = new SystemClock();

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public String toString() {
        return "SystemClock";
    }
}
