package dev.asyncio.spring;

import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import dev.asyncio.CancelledError;
import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.reactor.ReactorCoroutines;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A real WebFlux server on Reactor Netty (loopback, ephemeral port) whose handlers answer with asyncio
 * {@link Task}s through Spring's {@link ReactiveAdapterRegistry}, called with {@link WebTestClient}.
 */
class SpringReactiveAdaptersTest {
    /** The loop the handlers' tasks run on, running on a thread of its own for the whole class. */
    private static final dev.asyncio.internal.LoopThread LOOP_THREAD =
            new dev.asyncio.internal.LoopThread(new EventLoop(), "spring-adapters-test-loop");
    private static final EventLoop LOOP = LOOP_THREAD.loop();
    private static final CompletableFuture<Boolean> SLOW_STARTED = new CompletableFuture<>();
    private static final CompletableFuture<Throwable> SLOW_CANCELLED = new CompletableFuture<>();
    private static DisposableServer server;
    private static String baseUrl;

    /** A handler answering with a task created on the loop (the task is made there, through the loop's scheduler). */
    private static <T> Mono<ServerResponse> respondWithTask(Coroutine<T> coroutine, Class<T> type) {
        return Mono.fromCallable(() -> LOOP.createTask(coroutine))
                .subscribeOn(ReactorCoroutines.scheduler(LOOP))
                .flatMap(task -> ServerResponse.ok().body(task, type));
    }

    @BeforeAll
    static void startServer() {
        SpringReactiveAdapters.register(ReactiveAdapterRegistry.getSharedInstance());
        RouterFunction<ServerResponse> routes = route(GET("/answer"), req -> respondWithTask(() -> {
            sleep(Duration.ofMillis(5));
            return "42";
        }, String.class))
                .andRoute(GET("/slow"), req -> respondWithTask(() -> {
                    SLOW_STARTED.complete(true);
                    try {
                        sleep(Duration.ofDays(1));
                        return "never";
                    } catch (CancelledError e) {
                        SLOW_CANCELLED.complete(e);
                        throw e;
                    }
                }, String.class))
                .andRoute(GET("/fails"), req -> respondWithTask(() -> {
                    throw new IllegalStateException("handler failed");
                }, String.class));
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle(new ReactorHttpHandlerAdapter(RouterFunctions.toHttpHandler(routes)))
                .bindNow(Duration.ofSeconds(10));
        baseUrl = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.disposeNow(Duration.ofSeconds(5));
        }
        LOOP_THREAD.retire();
    }

    @Test
    void theRegistryAdaptsFuturesAndTasks() {
        ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(Task.class);
        assertNotNull(adapter, "Task is adaptable through its Future registration");
        assertTrue(adapter.getDescriptor().isNoValue() == false && adapter.getDescriptor().isMultiValue() == false);
        // and back: a publisher becomes a Future on the default loop
        Object back = adapter.fromPublisher(Mono.just("v"));
        assertInstanceOf(Future.class, back);
        assertEquals("v", ReactorCoroutines.toMono((Future<?>) back).block(Duration.ofSeconds(5)));
    }

    @Test
    void aHandlerReturnsATask() {
        WebTestClient client = WebTestClient.bindToServer().baseUrl(baseUrl).build();
        client.get().uri("/answer").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("42");
        client.get().uri("/fails").exchange().expectStatus().is5xxServerError();
    }

    @Test
    void aClientDisconnectCancelsTheTask() throws Exception {
        WebTestClient impatient = WebTestClient.bindToServer().baseUrl(baseUrl)
                .responseTimeout(Duration.ofMillis(500)).build();
        assertThrows(Throwable.class, () -> impatient.get().uri("/slow").exchange());
        assertTrue(SLOW_STARTED.get(5, TimeUnit.SECONDS));
        assertInstanceOf(CancelledError.class, SLOW_CANCELLED.get(10, TimeUnit.SECONDS),
                "the client gave up, the server cancelled the response, and with it the task");
    }
}
