package dev.asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.reactor.ReactorCoroutines;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;

/** The WebClient fetch example against a real loopback server. */
class FetchPagesWithWebClientTest {

    @Test
    void monosAwaitedUnderGatherHaveEveryRequestInFlightAtOnce() {
        try (PageServer server = PageServer.start(3)) {
            List<URI> pages = List.of(server.page(3), server.page(1), server.page(2));
            List<String> results = Asyncio.run(() -> FetchPagesWithWebClient.fetchAll(WebClient.create(), pages));
            assertEquals(List.of("200 <html><title>Page 3</title></html>", "200 <html><title>Page 1</title></html>",
                    "200 <html><title>Page 2</title></html>"), results);
            // The server held every answer until all three requests had arrived: they overlapped.
            assertEquals(3, server.maxInFlight());
        }
    }

    @Test
    void blockInsideACoroutineFailsAtOnceNamingAwait() {
        ReactorCoroutines.installBlockingGuard(); // in case nothing in this JVM has used ReactorCoroutines yet
        try (PageServer server = PageServer.start(1)) {
            WebClient client = WebClient.create();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.run(
                    () -> client.get().uri(server.page(1)).retrieve().bodyToMono(String.class).block()));
            assertTrue(e.getMessage().contains("ReactorCoroutines.await"), e::getMessage);
        }
    }
}
