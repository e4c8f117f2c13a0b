package dev.asyncio.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.EventLoop;
import dev.asyncio.internal.LoopInternals;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The always-on slow-step log, issue 22's silent {@code Thread.sleep} in a handler: outside debug mode, a
 * real Boot application logs (real Logback) the step with its task's name and the call to use instead,
 * once per log interval, and counts every one.
 */
class LoopMonitorTest {

    /** Starts /sleep, waits until its step is logged (or counted), then wakes it; returns its loop. */
    private static EventLoop blockOnce(ConfigurableApplicationContext app, WebTestClient client, double countBefore)
            throws Exception {
        ObservedApp.sleeping = new CompletableFuture<>();
        CompletableFuture<String> response = WebClient.create(ObservedApp.baseUrl(app)).get().uri("/sleep")
                .retrieve().bodyToMono(String.class).toFuture();
        EventLoop loop = ObservedApp.sleeping.get(ObservedApp.WAIT.toSeconds(), TimeUnit.SECONDS);
        ObservedApp.awaitUntil("the step is counted", () -> ObservedApp.meter(client, "asyncio.loop.slow.steps") > countBefore);
        LoopInternals.turnHolder(loop).interrupt();
        assertEquals("woken", response.get(ObservedApp.WAIT.toSeconds(), TimeUnit.SECONDS));
        return loop;
    }

    @Test
    void aBlockingStepIsLoggedWithItsTaskAndTheCallToUseThenRateLimited() throws Exception {
        try (ConfigurableApplicationContext app = ObservedApp.start("asyncio.slow-steps.threshold=100ms",
                "asyncio.slow-steps.log-interval=1h");
             CapturedLogs logs = CapturedLogs.of("dev.asyncio.spring.SlowSteps")) {
            WebTestClient client = ObservedApp.clientOf(app);
            assertFalse(app.getBean(AsyncioLoops.class).loops().get(0).getDebug(), "not in debug mode");
            EventLoop first = blockOnce(app, client, 0);
            assertEquals(1, logs.lines().size(), logs.lines().toString());
            CapturedLogs.Line line = logs.lines().get(0);
            assertEquals("WARN", line.level());
            int index = app.getBean(AsyncioLoops.class).loops().indexOf(first);
            assertTrue(line.message().startsWith("Task 'GET /sleep' has held event loop asyncio-loop-" + index + " for about "),
                    line.message());
            assertTrue(line.message().contains("write Asyncio.sleep(d) instead"), line.message());
            assertTrue(line.message().contains("at java.base/java.lang.Thread.sleep"), line.message());

            blockOnce(app, client, 1);
            assertEquals(2.0, ObservedApp.meter(client, "asyncio.loop.slow.steps"), "every slow step is counted");
            assertEquals(1, logs.lines().size(), "but within the log interval only the first is logged: " + logs.lines());
        }
    }

    @Test
    void turnedOffNothingIsLoggedNorCounted() throws Exception {
        try (ConfigurableApplicationContext app = ObservedApp.start("asyncio.slow-steps.enabled=false")) {
            WebTestClient client = ObservedApp.clientOf(app);
            client.get().uri("/actuator/metrics/asyncio.loop.slow.steps").exchange().expectStatus().isNotFound();
            client.get().uri("/actuator/metrics/asyncio.loop.lag").exchange().expectStatus().isOk();
        }
    }
}
