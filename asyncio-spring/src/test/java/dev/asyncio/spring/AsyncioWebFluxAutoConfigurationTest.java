package dev.asyncio.spring;

import static dev.asyncio.Asyncio.currentTask;
import static dev.asyncio.Asyncio.getRunningLoop;
import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.flow.CoroutinePublisher;
import dev.asyncio.reactor.ReactorCoroutines;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * A real Spring Boot WebFlux application on Reactor Netty (loopback, ephemeral port) with asyncio-spring's
 * auto-configuration and no asyncio-specific code besides the controller: what a WebFlux team gets.
 */
class AsyncioWebFluxAutoConfigurationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    // Per-test rendezvous between the test thread and the handlers (reset before each test).
    static volatile CompletableFuture<Integer> blockedLoop;
    static volatile CountDownLatch releaseBlocked;
    static volatile CompletableFuture<Boolean> slowStarted;
    static volatile CompletableFuture<Throwable> slowEnded;

    private static ConfigurableApplicationContext app;
    private static WebTestClient client;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({Handlers.class, LocalNettyResources.class})
    static class App {
    }

    @RestController
    static class Handlers {
        private final AsyncioLoops loops;

        Handlers(AsyncioLoops loops) {
            this.loops = loops;
        }

        private int loopIndex() {
            return loops.loops().indexOf(getRunningLoop());
        }

        @GetMapping("/items/{id}")
        Task<String> item(@PathVariable("id") String id) {
            return loops.submit(() -> {
                sleep(Duration.ofMillis(1));
                return "item " + id + " served by task '" + currentTask().getName() + "'";
            });
        }

        @PostMapping("/items")
        Task<String> create(@RequestBody String body) {
            return loops.submit(() -> "created " + body + " by task '" + currentTask().getName() + "'");
        }

        @GetMapping("/future")
        Future<String> future() {
            return loops.submit(() -> {
                sleep(Duration.ZERO);
                return "a future";
            });
        }

        @GetMapping("/mono")
        Mono<String> mono() {
            return ReactorCoroutines.mono(() -> {
                sleep(Duration.ZERO);
                return "pool loop " + loopIndex() + ", task '" + currentTask().getName() + "'";
            });
        }

        @GetMapping("/which")
        Task<Integer> which() {
            return loops.submit(this::loopIndex);
        }

        @GetMapping("/block")
        Task<Integer> block() {
            return loops.submit(() -> {
                int me = loopIndex();
                blockedLoop.complete(me);
                // Blocks the loop's turn without suspending, as Thread.sleep or a blocking driver would.
                assertTrue(releaseBlocked.await(WAIT.toSeconds(), TimeUnit.SECONDS));
                return me;
            });
        }

        @GetMapping("/slow")
        Task<String> slow() {
            return loops.submit(() -> {
                slowStarted.complete(true);
                try {
                    sleep(Duration.ofDays(1));
                    return "never";
                } catch (CancelledError e) {
                    slowEnded.complete(e);
                    throw e;
                }
            });
        }

        @GetMapping("/timeout")
        Task<String> timeout() {
            return loops.submit(() -> Asyncio.timeout(Duration.ofMillis(50), scope -> {
                sleep(Duration.ofDays(1)); // a slow downstream call
                return "never";
            }));
        }

        @GetMapping("/no-loop")
        Mono<String> noLoop() {
            sleep(Duration.ZERO); // a coroutine-only call made on the request thread itself
            return Mono.just("never");
        }

        @GetMapping("/debug")
        Task<Boolean> debug() {
            return loops.submit(() -> getRunningLoop().getDebug());
        }
    }

    static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.REACTIVE)
                .properties("server.address=127.0.0.1", "server.port=0", "spring.main.banner-mode=off",
                        "logging.level.root=WARN")
                .properties(properties)
                .run();
    }

    static WebTestClient clientOf(ConfigurableApplicationContext context) {
        return WebTestClient.bindToServer().baseUrl(baseUrl(context)).responseTimeout(WAIT).build();
    }

    static String baseUrl(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    @BeforeAll
    static void startApp() {
        app = start("asyncio.loops.count=2", "spring.web.error.include-message=always",
                "server.error.include-message=always");
        client = clientOf(app);
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @BeforeEach
    void resetRendezvous() {
        blockedLoop = new CompletableFuture<>();
        releaseBlocked = new CountDownLatch(1);
        slowStarted = new CompletableFuture<>();
        slowEnded = new CompletableFuture<>();
    }

    @Test
    void theAutoConfigurationProvidesAPoolOfTheConfiguredSize() {
        AsyncioLoops loops = app.getBean(AsyncioLoops.class);
        assertEquals(2, loops.loops().size());
        assertFalse(loops.isClosed());
    }

    @Test
    void aControllerReturnsATaskWithNoSetupAndTheTaskIsNamedAfterTheRequest() {
        client.get().uri("/items/42").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("item 42 served by task 'GET /items/42'");
    }

    @Test
    void aHandlerInvokedAfterTheBodyWasReadNamesItsTaskToo() {
        client.post().uri("/items").bodyValue("pear").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("created pear by task 'POST /items'");
    }

    @Test
    void aControllerReturnsAFuture() {
        client.get().uri("/future").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("a future");
    }

    @Test
    void aCoroutineMonoRunsOnThePoolInATaskNamedAfterTheRequest() {
        String body = client.get().uri("/mono").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertNotNull(body);
        assertTrue(body.matches("pool loop [01], task 'GET /mono'"), body);
    }

    @Test
    void aHandlerBlockingItsLoopDoesNotDelayRequestsArrivingAfterward() throws Exception {
        CompletableFuture<Integer> blockedResponse = WebClient.create(baseUrl(app)).get().uri("/block")
                .retrieve().bodyToMono(Integer.class).toFuture();
        int blocked = blockedLoop.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        try {
            // Long enough for the blocked loop to count as behind (AsyncioLoopsTest covers the placement itself).
            Thread.sleep(TimeUnit.MICROSECONDS.toMillis(AsyncioLoops.KEEPING_UP_MICROS) * 5);
            AsyncioLoops loops = app.getBean(AsyncioLoops.class);
            EventLoop otherLoop = loops.loops().get(1 - blocked);
            for (int i = 0; i < 5; i++) {
                // A loop preempted mid-iteration on a busy machine also looks behind, and may then rightly
                // share the work with the blocked one: ask while the other loop is waiting for work.
                AsyncioLoopsTest.awaitWaiting(otherLoop);
                int other = client.get().uri("/which").exchange().expectStatus().isOk()
                        .expectBody(Integer.class).returnResult().getResponseBody();
                assertNotEquals(blocked, other, "request " + i + " was placed on the blocked loop");
            }
            assertFalse(blockedResponse.isDone(), "the blocked request is still blocked when the others are served");
        } finally {
            releaseBlocked.countDown();
        }
        assertEquals(blocked, blockedResponse.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void aClientDisconnectCancelsTheTask() throws Exception {
        Disposable request = WebClient.create(baseUrl(app)).get().uri("/slow")
                .retrieve().bodyToMono(String.class).subscribe(v -> { }, e -> { });
        assertTrue(slowStarted.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        request.dispose();
        CancelledError e = assertInstanceOf(CancelledError.class, slowEnded.get(WAIT.toSeconds(), TimeUnit.SECONDS),
                "the client went away, WebFlux cancelled the response, and with it the task");
        assertEquals(CoroutinePublisher.CANCELLED_BY_SUBSCRIBER, e.getMessage(), "the cancellation says why");
    }

    @Test
    void anExpiredTimeoutIsAnsweredGatewayTimeoutWithTheTimeoutItHit() {
        String body = client.get().uri("/timeout").exchange()
                .expectStatus().isEqualTo(504)
                .expectBody(String.class).returnResult().getResponseBody();
        assertNotNull(body);
        assertTrue(body.contains("Timed out after 50 ms"), body);
    }

    @Test
    void anExpiredTimeoutIsA500WhenTheMappingIsTurnedOff() {
        try (ConfigurableApplicationContext plain = start("asyncio.loops.count=1", "asyncio.web.timeout-status.enabled=false")) {
            clientOf(plain).get().uri("/timeout").exchange().expectStatus().isEqualTo(500);
        }
    }

    @Test
    void aCoroutineCallOnTheRequestThreadSaysToHandTheWorkToTheLoops() {
        String body = client.get().uri("/no-loop").exchange()
                .expectStatus().is5xxServerError()
                .expectBody(String.class).returnResult().getResponseBody();
        assertNotNull(body);
        assertTrue(body.contains("WebFlux request thread") && body.contains("asyncioLoops.submit")
                && body.contains("ReactorCoroutines.mono"), body);
        assertFalse(body.contains("Asyncio.run"), body);
    }

    @Test
    void debugModeIsOffByDefault() {
        client.get().uri("/debug").exchange().expectStatus().isOk().expectBody(Boolean.class).isEqualTo(false);
    }

    @Test
    void thePropertyAsyncioDebugPutsTheLoopsInDebugMode() {
        try (ConfigurableApplicationContext debug = start("asyncio.loops.count=1", "asyncio.debug=true")) {
            clientOf(debug).get().uri("/debug").exchange().expectStatus().isOk().expectBody(Boolean.class).isEqualTo(true);
            assertTrue(debug.getBean(AsyncioLoops.class).loops().get(0).getDebug());
        }
    }

    @Test
    void theSystemPropertyDevAsyncioDebugIsHonoured() {
        String before = System.getProperty("dev.asyncio.debug");
        System.setProperty("dev.asyncio.debug", "true");
        try (ConfigurableApplicationContext debug = start("asyncio.loops.count=1")) {
            clientOf(debug).get().uri("/debug").exchange().expectStatus().isOk().expectBody(Boolean.class).isEqualTo(true);
        } finally {
            if (before == null) {
                System.clearProperty("dev.asyncio.debug");
            } else {
                System.setProperty("dev.asyncio.debug", before);
            }
        }
    }

    @Test
    void withoutTheAdaptersATaskResponseFailsLoudlyInsteadOfSerialisingTheTask() {
        try (ConfigurableApplicationContext bare = start("asyncio.loops.count=1", "asyncio.web.adapters.enabled=false",
                "spring.web.error.include-message=always", "server.error.include-message=always")) {
            String body = clientOf(bare).get().uri("/items/7").exchange()
                    .expectStatus().is5xxServerError()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertNotNull(body);
            assertTrue(body.contains("SpringReactiveAdapters.register"), body);
            assertFalse(body.contains("\"done\"") || body.contains("\"cancelled\"") || body.contains("\"coro\""),
                    "no Task fields in the body: " + body);
        }
    }

    @Test
    void closingTheContextCancelsAndAwaitsLeftoverTasksThenClosesTheLoops() throws Exception {
        ConfigurableApplicationContext shortLived = start("asyncio.loops.count=2");
        AsyncioLoops loops = shortLived.getBean(AsyncioLoops.class);
        List<EventLoop> its = loops.loops();
        try {
            Task<String> leftover = loops.submit(() -> {
                slowStarted.complete(true);
                try {
                    sleep(Duration.ofDays(1));
                    return "never";
                } catch (CancelledError e) {
                    sleep(Duration.ZERO); // a cancelled task may still await while it cleans up, as in asyncio.run
                    slowEnded.complete(e);
                    throw e;
                }
            }, "leftover");
            assertTrue(slowStarted.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertFalse(leftover.toCompletableFuture().isDone());
        } finally {
            shortLived.close();
        }
        assertTrue(loops.isClosed());
        assertInstanceOf(CancelledError.class, slowEnded.getNow(null), "cancelled and awaited before close() returned");
        for (EventLoop loop : its) {
            assertTrue(loop.isClosed());
        }
        // mono() subscribed outside any loop no longer picks the closed pool.
        EventLoop after = ReactorCoroutines.mono(() -> getRunningLoop()).block(WAIT);
        assertFalse(its.contains(after));
    }
}
