package dev.asyncio;

/**
 * The time source of an {@link EventLoop}: monotonic, in nanoseconds. {@link EventLoop#time()} reads
 * it in seconds, as asyncio's {@code loop.time()}.
 *
 * <p>A real clock ({@link #system()}) lets an idle loop sleep until its next deadline. A virtual clock
 * ({@link #isVirtual()} is {@code true}, e.g. {@link VirtualClock}, or the adapters over Reactor's and
 * RxJava's test schedulers) never makes the loop sleep in real time: the loop waits until the clock
 * moves or, when nothing is runnable and no outside work is in flight, asks the clock to jump to the next
 * deadline. How a loop drives a virtual clock is not part of this interface: the project's virtual clocks
 * ({@link VirtualClock}, the test kit's {@code TestClock}, the Reactor and RxJava bridges' scheduler
 * clocks) provide it to the loop themselves. Another clock that reports {@link #isVirtual()} is never
 * jumped nor asked to wake the loop, so its loop waits until woken by other means (a threadsafe call).
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
