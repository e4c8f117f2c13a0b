package dev.asyncio.spring;

import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.Asyncio.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Task;
import dev.asyncio.reactor.ReactorCoroutines;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Issue 22's MDC report, as the team tests: a {@code @SpringBootTest} on a random port with real Logback,
 * and nothing asyncio-specific but one property ({@code asyncio.context-propagation.mdc-keys=requestId}) —
 * no {@code enableContextPropagation()} call anywhere. The values are written the standard ways: a
 * {@code WebFilter} with {@code contextWrite(ctx.put("requestId", id))}, and Micrometer's
 * {@code Slf4jThreadLocalAccessor} map (key {@code "cp.slf4j"}), and Micrometer Tracing's trace and span ids
 * (Boot's Brave set-up, the span in the request's Observation); log lines written inside coroutines, after a
 * suspension and inside {@code toThread}, must carry them. Boot's {@code spring.reactor.context-propagation=auto}
 * is set too, so that a {@code Task} submitted from a controller method sees the request's MDC.
 */
@SpringBootTest(classes = AsyncioContextPropagationAutoConfigurationTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "asyncio.loops.count=2", "spring.main.banner-mode=off",
                "asyncio.context-propagation.mdc-keys=requestId", "spring.reactor.context-propagation=auto",
                "management.tracing.sampling.probability=1.0"})
class AsyncioContextPropagationAutoConfigurationTest {
    static final String LOGGER = "dev.asyncio.spring.MdcTestHandlers";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({Handlers.class, LocalNettyResources.class})
    static class App {
        /** A request id into the Reactor context, as a team's logging filter writes it. */
        @Bean
        @Order(0)
        WebFilter requestIdFilter() {
            return (exchange, chain) -> chain.filter(exchange).contextWrite(ctx -> {
                String id = exchange.getRequest().getHeaders().getFirst("X-Request-Id");
                ctx = id == null ? ctx : ctx.put("requestId", id);
                String user = exchange.getRequest().getHeaders().getFirst("X-User-Id");
                ctx = user == null ? ctx : ctx.put(Slf4jThreadLocalAccessor.KEY, Map.of("userId", user));
                String session = exchange.getRequest().getHeaders().getFirst("X-Session-Id");
                return session == null ? ctx : ctx.put("sessionId", session);
            });
        }
    }

    @RestController
    static class Handlers {
        private final AsyncioLoops loops;

        Handlers(AsyncioLoops loops) {
            this.loops = loops;
        }

        @GetMapping("/mdc/mono")
        Mono<String> mono() {
            return ReactorCoroutines.mono(() -> {
                LOG.info("mono start");
                sleep(Duration.ofMillis(1));
                LOG.info("mono after sleep");
                toThread(() -> {
                    LOG.info("mono in toThread");
                    return null;
                });
                return "ok";
            });
        }

        @GetMapping("/mdc/flux")
        Flux<String> flux() {
            return ReactorCoroutines.flux(sink -> {
                sleep(Duration.ZERO);
                LOG.info("flux after sleep");
                sink.emit("ok");
            });
        }

        @GetMapping("/mdc/task")
        Task<String> task() {
            return loops.submit(() -> {
                sleep(Duration.ofMillis(1));
                LOG.info("task after sleep");
                return "ok";
            });
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ThreadLocalPropagationSetup setup;

    private WebTestClient client;
    private CapturedLogs logs;

    @BeforeEach
    void connect() {
        // The library's accessor for a map of MDC entries, registered as its documentation says.
        ContextRegistry.getInstance().registerThreadLocalAccessor(new Slf4jThreadLocalAccessor("userId"));
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build();
        logs = CapturedLogs.of(LOGGER);
    }

    @AfterEach
    void disconnect() {
        logs.close();
        ContextRegistry.getInstance().removeThreadLocalAccessor(Slf4jThreadLocalAccessor.KEY);
    }

    private void get(String path, String requestId, String userId) {
        client.get().uri(path).header("X-Request-Id", requestId).header("X-User-Id", userId).exchange()
                .expectStatus().isOk();
    }

    @Test
    void theAutoConfigurationTurnedPropagationOnAndRegisteredTheMdcKey() {
        assertTrue(ReactorCoroutines.isContextPropagationEnabled());
        assertEquals(List.of("requestId"), setup.registeredMdcKeys());
    }

    @Test
    void aMonoCoroutineLogsWithTheRequestsMdcAfterASuspensionAndInToThread() {
        get("/mdc/mono", "r-mono", "u-mono");
        for (String line : List.of("mono start", "mono after sleep", "mono in toThread")) {
            assertEquals("r-mono", logs.mdcOf(line, "requestId"), line);
            assertEquals("u-mono", logs.mdcOf(line, "userId"), line);
        }
    }

    @Test
    void micrometerTracingsTraceAndSpanIdsAreInTheMdcOfACoroutine() {
        // A W3C trace context from the caller: the server's span joins its trace (Boot's Brave set-up).
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        client.get().uri("/mdc/mono").header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01").exchange()
                .expectStatus().isOk();
        for (String line : List.of("mono start", "mono after sleep", "mono in toThread")) {
            assertEquals(traceId, logs.mdcOf(line, "traceId"), line);
            assertNotNull(logs.mdcOf(line, "spanId"), line);
        }
    }

    @Test
    void aFluxCoroutineLogsWithTheRequestsMdc() {
        get("/mdc/flux", "r-flux", "u-flux");
        assertEquals("r-flux", logs.mdcOf("flux after sleep", "requestId"));
        assertEquals("u-flux", logs.mdcOf("flux after sleep", "userId"));
    }

    @Test
    void aTaskSubmittedFromTheControllerLogsWithTheRequestsMdc() {
        get("/mdc/task", "r-task", "u-task");
        assertEquals("r-task", logs.mdcOf("task after sleep", "requestId"));
        assertEquals("u-task", logs.mdcOf("task after sleep", "userId"));
    }

    @Test
    void concurrentRequestsKeepTheirOwnValues() {
        for (int i = 0; i < 8; i++) {
            get("/mdc/mono", "r-" + i, "u-" + i);
        }
        assertEquals(8 * 3, logs.lines().size(), logs.lines().toString());
        for (CapturedLogs.Line line : logs.lines()) {
            String id = line.mdc().get("requestId");
            assertEquals(id.replace("r-", "u-"), line.mdc().get("userId"), line.toString());
        }
    }

    @Test
    void aContextValueNoThreadLocalCarriesIsReportedOnceSayingWhatToAdd() {
        try (CapturedLogs warnings = CapturedLogs.of("dev.asyncio.reactor.ReactorCoroutines")) {
            for (int i = 0; i < 2; i++) {
                client.get().uri("/mdc/mono").header("X-Session-Id", "s-" + i).exchange().expectStatus().isOk();
            }
            List<CapturedLogs.Line> about = warnings.lines().stream().filter(l -> l.message().contains("'sessionId'")).toList();
            assertEquals(1, about.size(), warnings.lines().toString());
            assertEquals("WARN", about.get(0).level());
            assertTrue(about.get(0).message().contains("asyncio.context-propagation.mdc-keys=sessionId"), about.get(0).message());
        }
    }
}
