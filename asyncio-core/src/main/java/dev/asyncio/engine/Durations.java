package dev.asyncio.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * Conversions of {@link Duration}s and asyncio's float seconds into loop nanoseconds, saturated rather than
 * overflowing; the one copy for the whole project (the core and the test kit's virtual time).
 */
public final class Durations {
    private Durations() {
    }

    /**
     * Nanoseconds in {@code d}, saturated at {@code Long.MAX_VALUE} / {@code MIN_VALUE}: a day-long sleep
     * must not overflow.
     *
     * @param d the duration
     * @return its nanoseconds, saturated
     */
    public static long toNanosSaturated(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        if (d.getSeconds() <= Long.MIN_VALUE / 1_000_000_000L) {
            return Long.MIN_VALUE;
        }
        return d.toNanos();
    }

    /**
     * Seconds as asyncio takes them; NaN is refused since it would corrupt the timer heap's order.
     *
     * @param seconds the seconds
     * @param what what they are, for the error message
     * @return the nanoseconds, saturated
     * @throws IllegalArgumentException if {@code seconds} is NaN
     */
    public static long secondsToNanos(double seconds, String what) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException(what + " is NaN; pass a number of seconds (negative means 'as soon as possible')");
        }
        double nanos = seconds * 1e9;
        if (nanos >= Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        if (nanos <= Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return (long) nanos;
    }

    /**
     * {@code a + b} saturated, for deadlines far in the future.
     *
     * @param a a time or duration in nanoseconds
     * @param b another
     * @return the sum, saturated at {@code Long.MAX_VALUE} / {@code MIN_VALUE}
     */
    public static long saturatedAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }
}
