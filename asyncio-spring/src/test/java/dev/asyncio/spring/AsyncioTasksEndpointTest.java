package dev.asyncio.spring;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;

/** {@code GET /actuator/asynciotasks} of a real application lists its loops' tasks as dumpTasks() does. */
class AsyncioTasksEndpointTest {

    @Test
    void aPendingRequestsTaskIsListedByNameWithWhatItAwaits() throws Exception {
        try (ConfigurableApplicationContext app = ObservedApp.start()) {
            WebTestClient client = ObservedApp.clientOf(app);
            Disposable request = WebClient.create(ObservedApp.baseUrl(app)).get().uri("/pending")
                    .retrieve().bodyToMono(String.class).subscribe(v -> { }, e -> { });
            try {
                String[] body = new String[1];
                // Listed as soon as the request's task exists, but "not started" until its first step runs:
                // wait until it is suspended in its sleep, which is what the listing must then show.
                ObservedApp.awaitUntil("the task is listed, suspended", () -> {
                    body[0] = client.get().uri("/actuator/asynciotasks").exchange().expectStatus().isOk()
                            .expectBody(String.class).returnResult().getResponseBody();
                    return body[0] != null && body[0].contains("GET /pending") && !body[0].contains("(not started)");
                });
                assertNotNull(body[0]);
                assertTrue(body[0].contains("\"loop\":\"asyncio-loop-0\"") && body[0].contains("\"loop\":\"asyncio-loop-1\""),
                        body[0]);
                assertTrue(body[0].contains("sleep"), "where it is suspended: " + body[0]);
            } finally {
                request.dispose();
            }
        }
    }

    @Test
    void itIsNotThereUnlessExposed() {
        try (ConfigurableApplicationContext app = ObservedApp.start("management.endpoints.web.exposure.include=health")) {
            ObservedApp.clientOf(app).get().uri("/actuator/asynciotasks").exchange().expectStatus().isNotFound();
        }
    }
}
