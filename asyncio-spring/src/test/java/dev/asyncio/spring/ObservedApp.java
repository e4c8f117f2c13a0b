package dev.asyncio.spring;

import static dev.asyncio.Asyncio.getRunningLoop;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A real Boot WebFlux application with Actuator (metrics and the asyncio tasks endpoint exposed), for the
 * tests of what production can observe: handlers that block their loop, or stay pending until cancelled.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ObservedApp.Handlers.class, LocalNettyResources.class})
class ObservedApp {
    static final Duration WAIT = Duration.ofSeconds(30);
    /** The loop of the last /sleep handler, completed just before it blocks. */
    static volatile CompletableFuture<EventLoop> sleeping = new CompletableFuture<>();

    @RestController
    static class Handlers {
        private final AsyncioLoops loops;

        Handlers(AsyncioLoops loops) {
            this.loops = loops;
        }

        /** Blocks its loop in Thread.sleep until the test interrupts it, as a mistaken handler would. */
        @GetMapping("/sleep")
        Task<String> sleep() {
            return loops.submit(() -> {
                sleeping.complete(getRunningLoop());
                try {
                    Thread.sleep(Duration.ofMinutes(5));
                    return "slept";
                } catch (InterruptedException e) {
                    return "woken";
                }
            });
        }

        /** Pending (suspended, not blocking) until cancelled. */
        @GetMapping("/pending")
        Task<String> pending() {
            return loops.submit(() -> {
                Asyncio.sleep(Duration.ofDays(1));
                return "never";
            });
        }
    }

    static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(ObservedApp.class)
                .web(WebApplicationType.REACTIVE)
                .properties("server.address=127.0.0.1", "server.port=0", "spring.main.banner-mode=off",
                        "asyncio.loops.count=2", "management.endpoints.web.exposure.include=metrics,asynciotasks")
                .properties(properties)
                .run();
    }

    static String baseUrl(ConfigurableApplicationContext app) {
        return "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
    }

    static WebTestClient clientOf(ConfigurableApplicationContext app) {
        return WebTestClient.bindToServer().baseUrl(baseUrl(app)).responseTimeout(WAIT).build();
    }

    /** The summed COUNT or VALUE of a meter, read through /actuator/metrics as an operator would. */
    static double meter(WebTestClient client, String name) {
        String body = client.get().uri("/actuator/metrics/" + name).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        Matcher m = Pattern.compile("\"value\"\\s*:\\s*([0-9.Ee+-]+)").matcher(body);
        if (!m.find()) {
            throw new AssertionError("no value in " + body);
        }
        return Double.parseDouble(m.group(1));
    }

    /** Waits until {@code condition} holds (other threads make it so), failing after {@link #WAIT}. */
    static void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    private ObservedApp() {
    }
}
