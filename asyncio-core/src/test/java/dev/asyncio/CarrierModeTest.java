package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void onlyTestedJdkReleasesGetTheLoopCarrierByDefault() {
        for (int release : CarrierMode.TESTED_RELEASES) {
            assertNull(CarrierMode.untestedReason(release));
        }
        for (int release : new int[] {21, 24, 26, 99}) {
            String why = CarrierMode.untestedReason(release);
            assertNotNull(why, "JDK " + release + " is not tested");
            assertTrue(why.contains("JDK " + release) && why.contains("PORTABLE") && why.contains("-Ddev.asyncio.carrier=loop"),
                    why);
        }
    }

    @Test
    void theFallbackReasonSaysWhyThisJvmRunsPortable() {
        boolean expectFast = Boolean.getBoolean("dev.asyncio.expectFastCarrier");
        String why = CarrierMode.fallbackReason();
        if (expectFast) {
            assertNull(why, "the flag is there, the internals passed the check and the release is tested");
        } else {
            assertNotNull(why, "no flag: the reflective lookup fails");
        }
    }
}
