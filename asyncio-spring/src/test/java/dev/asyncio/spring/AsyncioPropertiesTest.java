package dev.asyncio.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * {@link AsyncioProperties}: Boot binds every {@code asyncio.*} property into it, and the configuration
 * metadata that the build generates from it (what IDEs complete) lists each one with a description.
 */
class AsyncioPropertiesTest {
    static final Set<String> ALL = new TreeSet<>(List.of("asyncio.debug", "asyncio.loops.count",
            "asyncio.loops.reactor-default", "asyncio.web.adapters.enabled", "asyncio.web.request-task-names.enabled",
            "asyncio.web.timeout-status.enabled", "asyncio.context-propagation.enabled",
            "asyncio.context-propagation.mdc-keys", "asyncio.slow-steps.enabled", "asyncio.slow-steps.threshold",
            "asyncio.slow-steps.log-interval", "asyncio.metrics.enabled"));

    @Test
    void theDefaults() {
        AsyncioProperties p = new AsyncioProperties();
        assertFalse(p.isDebug());
        assertNull(p.getLoops().getCount());
        assertTrue(p.getLoops().isReactorDefault() && p.getWeb().getAdapters().isEnabled()
                && p.getWeb().getRequestTaskNames().isEnabled() && p.getWeb().getTimeoutStatus().isEnabled()
                && p.getContextPropagation().isEnabled() && p.getSlowSteps().isEnabled() && p.getMetrics().isEnabled());
        assertEquals(List.of(), p.getContextPropagation().getMdcKeys());
        assertEquals(Duration.ofMillis(500), p.getSlowSteps().getThreshold());
    }

    @Test
    void bootBindsEveryProperty() {
        Map<String, String> source = Map.ofEntries(Map.entry("asyncio.debug", "true"), Map.entry("asyncio.loops.count", "3"),
                Map.entry("asyncio.loops.reactor-default", "false"), Map.entry("asyncio.web.adapters.enabled", "false"),
                Map.entry("asyncio.web.request-task-names.enabled", "false"),
                Map.entry("asyncio.web.timeout-status.enabled", "false"),
                Map.entry("asyncio.context-propagation.enabled", "false"),
                Map.entry("asyncio.context-propagation.mdc-keys", "requestId,tenant"),
                Map.entry("asyncio.slow-steps.enabled", "false"), Map.entry("asyncio.slow-steps.threshold", "250ms"),
                Map.entry("asyncio.slow-steps.log-interval", "1m"), Map.entry("asyncio.metrics.enabled", "false"));
        assertEquals(ALL, new TreeSet<>(source.keySet()));
        AsyncioProperties p = new Binder(new MapConfigurationPropertySource(source))
                .bind("asyncio", AsyncioProperties.class).get();
        assertTrue(p.isDebug());
        assertEquals(3, p.getLoops().getCount());
        assertFalse(p.getLoops().isReactorDefault() || p.getWeb().getAdapters().isEnabled()
                || p.getWeb().getRequestTaskNames().isEnabled() || p.getWeb().getTimeoutStatus().isEnabled()
                || p.getContextPropagation().isEnabled() || p.getSlowSteps().isEnabled() || p.getMetrics().isEnabled());
        assertEquals(List.of("requestId", "tenant"), p.getContextPropagation().getMdcKeys());
        assertEquals(Duration.ofMillis(250), p.getSlowSteps().getThreshold());
        assertEquals(Duration.ofMinutes(1), p.getSlowSteps().getLogInterval());
    }

    @Test
    void theGeneratedMetadataListsEveryPropertyWithADescription() throws IOException {
        String json;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertNotNull(in, "spring-boot-configuration-processor generated no metadata");
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // Only the "properties" array: "groups" names the nested classes (asyncio.loops, ...).
        json = json.substring(json.indexOf("\"properties\""), json.indexOf("\"hints\""));
        Set<String> described = new TreeSet<>();
        // Each property is an object with "name" first; its "description" follows before the next "name".
        Matcher m = Pattern.compile("\"name\"\\s*:\\s*\"(asyncio\\.[^\"]+)\"([^}]*)").matcher(json);
        while (m.find()) {
            if (m.group(2).contains("\"description\"") && !m.group(2).contains("Whether the feature is on")) {
                described.add(m.group(1));
            }
        }
        assertEquals(ALL, described);
    }
}
