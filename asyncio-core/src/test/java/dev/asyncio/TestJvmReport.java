package dev.asyncio;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Says, once per test JVM, which JDK runs the core's tests and in which carrier mode, so that the build
 * log shows what was tested (the suite runs twice, once per mode). Registered in
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class TestJvmReport implements TestExecutionListener {
    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        String why = CarrierMode.loopCarrierUnavailableReason().map(r -> " (" + r + ")").orElse("");
        System.out.println("[asyncio] core tests on JDK " + Runtime.version() + " (" + System.getProperty("java.home")
                + "), carrier mode " + CarrierMode.defaultMode() + why);
    }
}
