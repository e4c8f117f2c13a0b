package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The suite runs twice (see asyncio-core/pom.xml); each run must really be in the mode it claims. */
class CarrierModeTest {
    @Test
    void modeMatchesTheJvmFlags() {
        boolean expectFast = Boolean.getBoolean("dev.asyncio.expectFastCarrier");
        assertEquals(expectFast, CarrierMode.loopCarrierAvailable());
        assertEquals(expectFast ? CarrierMode.LOOP_CARRIER : CarrierMode.PORTABLE, CarrierMode.defaultMode());
        try (EventLoop loop = new EventLoop()) {
            assertEquals(CarrierMode.defaultMode(), loop.getCarrierMode());
            assertEquals(42, loop.runUntilComplete(() -> 42));
        }
    }
}
