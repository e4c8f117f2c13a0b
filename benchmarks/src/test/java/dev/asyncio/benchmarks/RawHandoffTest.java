package dev.asyncio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RawHandoffTest {
    @Test
    void theBatonGoesRoundTheRingAndEachHandoffIsCounted() throws InterruptedException {
        // Two laps: every thread waits for the baton twice and passes it on; a lost unpark would hang here.
        double ns = RawHandoff.round(2);
        assertTrue(ns > 0 && Double.isFinite(ns), "ns per hand-off: " + ns);
    }

    @Test
    void anUnknownOptionIsRefusedWithTheUsage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RawHandoff.main(new String[] {"--threads", "5"}));
        assertTrue(e.getMessage().contains("usage: RawHandoff [--rounds R] [--laps L]"), e.getMessage());
    }
}
