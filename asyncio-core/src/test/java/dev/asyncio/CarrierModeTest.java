package dev.asyncio;

import dev.asyncio.engine.VirtualThreadInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

/**
 * The suite runs twice (see asyncio-core/pom.xml); each run must really be in the mode it claims. The
 * choice itself ({@link CarrierMode#decide}) is tested for every JDK release and probe outcome, whatever
 * JDK runs the test.
 */
class CarrierModeTest {
    private static final int FEATURE = Runtime.version().feature();
    private static final boolean EXPECT_FAST = Boolean.getBoolean("dev.asyncio.expectFastCarrier");

    @Test
    void modeMatchesTheJvmFlags() {
        boolean tested = CarrierMode.testedJdkReleases().contains(FEATURE);
        // With the flag on an untested release (the build picks the newest JDK installed), auto falls back.
        boolean fast = EXPECT_FAST && tested;
        assertEquals(fast, CarrierMode.loopCarrierAvailable(), () -> CarrierMode.loopCarrierUnavailableReason().orElse(""));
        assertEquals(fast ? CarrierMode.LOOP_CARRIER : CarrierMode.PORTABLE, CarrierMode.defaultMode());
        assertEquals(fast, CarrierMode.loopCarrierUnavailableReason().isEmpty());
        try (EventLoop loop = new EventLoop()) {
            assertEquals(CarrierMode.defaultMode(), loop.getCarrierMode());
            assertEquals(42, loop.runUntilComplete(() -> 42));
        }
    }

    @Test
    void jdk25WithTheFlagRunsLoopCarrier() {
        assumeTrue(EXPECT_FAST && FEATURE == 25, "the fast-carrier run on JDK 25 only");
        assertEquals(CarrierMode.LOOP_CARRIER, CarrierMode.defaultMode());
        assertEquals(java.util.Optional.empty(), CarrierMode.loopCarrierUnavailableReason());
    }

    @Test
    void withoutTheFlagTheReasonNamesIt() {
        assumeTrue(!EXPECT_FAST, "the portable run only");
        String reason = CarrierMode.loopCarrierUnavailableReason().orElseThrow();
        assertTrue(reason.contains("--add-opens java.base/java.lang=ALL-UNNAMED"), reason);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new EventLoop(Clock.system(), CarrierMode.LOOP_CARRIER));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void selfTestPassesAndLeavesNoThreadBehind() throws ReflectiveOperationException {
        assumeTrue(VirtualThreadInternals.javaLangOpened(), "needs the add-opens flag");
        assertNull(VirtualThreadInternals.resolve().selfTest());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("asyncio-carrier-self-test")));
    }

    @Test
    void selfTestKeepsTheCallersInterrupt() throws ReflectiveOperationException {
        assumeTrue(VirtualThreadInternals.javaLangOpened(), "needs the add-opens flag");
        VirtualThreadInternals internals = VirtualThreadInternals.resolve();
        Thread.currentThread().interrupt();
        try {
            assertNull(internals.selfTest());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    // ------------------------------------------------------------------ the decision, on every JDK

    @Test
    void testedReleaseWithTheFlagRunsLoopCarrier() {
        CarrierMode.Verdict auto = CarrierMode.decide(25, true, null, "auto");
        assertEquals(CarrierMode.LOOP_CARRIER, auto.mode());
        assertNull(auto.unavailableReason());
        assertNull(auto.notice());
        assertNull(auto.error());
        assertEquals(CarrierMode.LOOP_CARRIER, CarrierMode.decide(25, true, null, "loop").mode());
        CarrierMode.Verdict portable = CarrierMode.decide(25, true, null, "portable");
        assertEquals(CarrierMode.PORTABLE, portable.mode());
        assertNull(portable.unavailableReason(), "an explicit LOOP_CARRIER loop still works");
        assertNull(portable.notice());
    }

    @Test
    void withoutTheFlagPortableIsSilent() {
        for (int feature : new int[] {21, 25, 26}) {
            for (String chosen : new String[] {"auto", "portable"}) {
                CarrierMode.Verdict v = CarrierMode.decide(feature, false, null, chosen);
                assertEquals(CarrierMode.PORTABLE, v.mode());
                assertTrue(v.unavailableReason().contains("--add-opens"), v.unavailableReason());
                assertNull(v.notice(), "PORTABLE is the normal mode without the flag: no warning");
                assertNull(v.error());
            }
        }
    }

    @Test
    void withoutTheFlagOnATestedReleaseOneInfoLineSaysWhereTheFlagGoes() {
        String hint = CarrierMode.fastModeHint(25, false, "auto");
        for (String where : new String[] {"--add-opens java.base/java.lang=ALL-UNNAMED", "JDK_JAVA_OPTIONS", "argLine",
                "Add-Opens: java.base/java.lang", "-Ddev.asyncio.carrier=portable"}) {
            assertTrue(hint.contains(where), hint);
        }
        assertNull(CarrierMode.fastModeHint(25, true, "auto"), "the flag is given");
        assertNull(CarrierMode.fastModeHint(25, false, "portable"), "PORTABLE was chosen");
        assertNull(CarrierMode.fastModeHint(21, false, "auto"), "the flag would not turn LOOP_CARRIER on there");
        assertNull(CarrierMode.fastModeHint(26, false, "auto"), "nor on a release it was not tested on");
    }

    @Test
    void forcingLoopWithoutTheFlagFailsLoudly() {
        CarrierMode.Verdict v = CarrierMode.decide(25, false, null, "loop");
        assertNull(v.mode());
        assertTrue(v.error().contains("--add-opens java.base/java.lang=ALL-UNNAMED"), v.error());
        assertNotNull(v.unavailableReason());
    }

    @Test
    void untestedReleaseFallsBackAndSaysHowToForce() {
        for (int feature : new int[] {21, 24, 26}) {
            CarrierMode.Verdict v = CarrierMode.decide(feature, true, null, "auto");
            assertEquals(CarrierMode.PORTABLE, v.mode());
            assertTrue(v.unavailableReason().contains("JDK " + feature + " is not a release"), v.unavailableReason());
            assertTrue(v.notice().contains("PORTABLE"), v.notice());
            assertTrue(v.notice().contains("tested: 25"), v.notice());
            assertTrue(v.notice().contains("-Ddev.asyncio.carrier=loop"), v.notice());
            assertTrue(v.notice().contains("-Ddev.asyncio.carrier=portable"), v.notice());
            assertNull(v.error());
        }
    }

    @Test
    void untestedReleaseCanBeForcedWithAWarning() {
        CarrierMode.Verdict v = CarrierMode.decide(26, true, null, "loop");
        assertEquals(CarrierMode.LOOP_CARRIER, v.mode());
        assertNull(v.unavailableReason());
        assertTrue(v.notice().contains("JDK 26, a release it was not tested on"), v.notice());
        assertNull(v.error());
    }

    @Test
    void untestedReleaseWithPortableChosenIsSilent() {
        CarrierMode.Verdict v = CarrierMode.decide(26, true, null, "portable");
        assertEquals(CarrierMode.PORTABLE, v.mode());
        assertNotNull(v.unavailableReason(), "without the forcing property, no LOOP_CARRIER loop on an untested release");
        assertNull(v.notice());
    }

    @Test
    void failedCheckFallsBackWithTheReason() {
        String failure = "java.lang.NoSuchMethodException: java.lang.VirtualThread.defaultScheduler()";
        for (int feature : new int[] {25, 26}) {
            CarrierMode.Verdict v = CarrierMode.decide(feature, true, failure, "auto");
            assertEquals(CarrierMode.PORTABLE, v.mode());
            assertTrue(v.unavailableReason().contains(failure), v.unavailableReason());
            assertTrue(v.notice().contains(failure), v.notice());
            assertTrue(v.notice().contains("-Ddev.asyncio.carrier=portable"), v.notice());
            assertNull(v.error());
        }
        assertNull(CarrierMode.decide(25, true, failure, "portable").notice());
    }

    @Test
    void failedCheckCannotBeForced() {
        String failure = "the JDK did not hand run 1 of a virtual thread to the thread's scheduler";
        for (int feature : new int[] {25, 26}) {
            CarrierMode.Verdict v = CarrierMode.decide(feature, true, failure, "loop");
            assertNull(v.mode());
            assertTrue(v.error().startsWith("-Ddev.asyncio.carrier=loop cannot be honoured"), v.error());
            assertTrue(v.error().contains(failure), v.error());
        }
    }

    @Test
    void noticeIsLoggedOnceAsAWarning() {
        List<String> logged = new ArrayList<>();
        CarrierMode.FallbackNotice notice = new CarrierMode.FallbackNotice(() -> new RecordingLogger(logged), System.Logger.Level.WARNING);
        assertFalse(notice.give(null), "nothing to say is no notice");
        assertTrue(notice.give("first"));
        assertFalse(notice.give("first"));
        assertFalse(notice.give("second"));
        assertEquals(List.of("WARNING first"), logged);
    }

    /** Keeps what is logged to it, as "LEVEL message". */
    private record RecordingLogger(List<String> logged) implements System.Logger {
        @Override
        public String getName() {
            return "recording";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            logged.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            logged.add(level + " " + format);
        }
    }
}
