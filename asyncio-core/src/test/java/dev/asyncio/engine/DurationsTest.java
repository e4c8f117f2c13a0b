package dev.asyncio.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The engine's saturated time arithmetic: a day-long sleep or a far deadline never overflows. */
class DurationsTest {
    @Test
    void durationsSaturateInsteadOfOverflowing() {
        assertEquals(Long.MAX_VALUE, Durations.toNanosSaturated(java.time.Duration.ofDays(365L * 1000)));
        assertEquals(Long.MIN_VALUE, Durations.toNanosSaturated(java.time.Duration.ofDays(-365L * 1000)));
        assertEquals(1_500_000_000L, Durations.toNanosSaturated(java.time.Duration.ofMillis(1500)));
        assertEquals(Long.MAX_VALUE, Durations.saturatedAdd(Long.MAX_VALUE - 1, 5));
        assertEquals(Long.MIN_VALUE, Durations.saturatedAdd(Long.MIN_VALUE + 1, -5));
        assertEquals(7, Durations.saturatedAdd(3, 4));
        assertThrows(IllegalArgumentException.class, () -> Durations.secondsToNanos(Double.NaN, "delay"));
    }
}
