package dev.asyncio.spring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

/**
 * The loops' Micrometer meters, read through a real application's {@code /actuator/metrics} while real
 * requests come and go.
 */
class LoopMetersTest {
    private static ConfigurableApplicationContext app;
    private static WebTestClient client;

    @BeforeAll
    static void startApp() {
        app = ObservedApp.start();
        client = ObservedApp.clientOf(app);
    }

    @AfterAll
    static void stopApp() {
        app.close();
    }

    @Test
    void everyMeterIsThereForEachLoop() {
        for (String name : new String[] {"asyncio.loop.tasks", "asyncio.loop.ready", "asyncio.loop.lag",
            "asyncio.loop.slow.steps", "asyncio.tasks.cancelled"}) {
            for (String loop : new String[] {"asyncio-loop-0", "asyncio-loop-1"}) {
                client.get().uri("/actuator/metrics/" + name + "?tag=loop:" + loop).exchange().expectStatus().isOk();
            }
        }
    }

    @Test
    void aPendingTaskIsCountedAndItsCancellationByADisconnectToo() throws Exception {
        double cancelledBefore = ObservedApp.meter(client, "asyncio.tasks.cancelled");
        Disposable request = WebClient.create(ObservedApp.baseUrl(app)).get().uri("/pending")
                .retrieve().bodyToMono(String.class).subscribe(v -> { }, e -> { });
        ObservedApp.awaitUntil("the pending task is sampled", () -> ObservedApp.meter(client, "asyncio.loop.tasks") >= 1);
        request.dispose();
        ObservedApp.awaitUntil("the cancellation is counted",
                () -> ObservedApp.meter(client, "asyncio.tasks.cancelled") >= cancelledBefore + 1);
        ObservedApp.awaitUntil("no task is left", () -> ObservedApp.meter(client, "asyncio.loop.tasks") == 0);
        assertTrue(ObservedApp.meter(client, "asyncio.loop.lag") >= 0);
    }
}
