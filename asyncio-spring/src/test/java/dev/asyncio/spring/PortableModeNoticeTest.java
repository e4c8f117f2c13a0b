package dev.asyncio.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.CarrierMode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/** The start-up line that says how to turn the fast carrier mode on (issue 24). */
class PortableModeNoticeTest {
    private static final int TESTED = CarrierMode.testedJdkReleases().iterator().next();
    private static final String NOT_OPEN = "java.lang is not open to asyncio: LOOP_CARRIER needs the JVM flag --add-opens …";

    @Test
    void portableForWantOfTheFlagOnATestedJdkSaysTheOneLine() {
        String line = PortableModeNotice.of(CarrierMode.PORTABLE, 4, TESTED, NOT_OPEN, null);
        assertTrue(line.contains("4 event loops") && line.contains("Add-Opens: java.base/java.lang")
                && line.contains("JDK_JAVA_OPTIONS") && line.contains("-Ddev.asyncio.carrier=portable"), line);
    }

    @Test
    void silentOtherwise() {
        assertNull(PortableModeNotice.of(CarrierMode.LOOP_CARRIER, 4, TESTED, null, null), "fast mode");
        assertNull(PortableModeNotice.of(CarrierMode.PORTABLE, 4, TESTED, NOT_OPEN, "portable"), "chosen");
        assertNull(PortableModeNotice.of(CarrierMode.PORTABLE, 4, 21, NOT_OPEN, null), "untested JDK");
        assertNull(PortableModeNotice.of(CarrierMode.PORTABLE, 4, TESTED, "the internals failed the check", null),
                "the flag was given: the core's own warning says why");
    }

    @Test
    void aBootApplicationLogsItOnceAtStartUpInPortableModeOnly() {
        CapturedLogs[] logs = new CapturedLogs[1];
        // Attached once Boot has set Logback up, before the beans (the pool) are created.
        ApplicationListener<ApplicationPreparedEvent> attach = event -> logs[0] = CapturedLogs.of(PortableModeNotice.LOG.getName());
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(ObservedApp.class)
                .web(WebApplicationType.REACTIVE).listeners(attach)
                .properties("server.address=127.0.0.1", "server.port=0", "spring.main.banner-mode=off", "asyncio.loops.count=2")
                .run()) {
            CarrierMode mode = app.getBean(AsyncioLoops.class).loops().get(0).getCarrierMode();
            List<CapturedLogs.Line> lines = logs[0].lines();
            boolean expected = PortableModeNotice.of(mode, 2, Runtime.version().feature(),
                    CarrierMode.loopCarrierUnavailableReason().orElse(null), System.getProperty("dev.asyncio.carrier")) != null;
            assertEquals(expected ? 1 : 0, lines.size(), mode + ": " + lines);
            if (expected) {
                assertEquals("INFO", lines.get(0).level());
                assertTrue(lines.get(0).message().contains("2 event loops of AsyncioLoops run in PORTABLE mode"), lines.toString());
            }
        } finally {
            if (logs[0] != null) {
                logs[0].close();
            }
        }
    }
}
