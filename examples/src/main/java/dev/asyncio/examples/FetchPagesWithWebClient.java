package dev.asyncio.examples;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.gather;

import dev.asyncio.Asyncio;
import dev.asyncio.Task;
import dev.asyncio.reactor.ReactorCoroutines;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * "Fetch web pages concurrently" with Spring's {@link WebClient} (on Reactor Netty): a request is a
 * {@code Mono}, and {@link ReactorCoroutines#await(reactor.core.publisher.Mono)} suspends the coroutine until
 * it emits, so under {@code gather} the three requests are in flight at once, as with the JDK client in
 * {@link FetchPagesConcurrently}.
 *
 * <p>Never {@code mono.block()} inside a coroutine: it would hold the loop's turn until the response is there.
 * asyncio-reactor's blocking guard (installed when {@code ReactorCoroutines} is first used) makes it fail at
 * once with an {@code IllegalStateException} that names {@code ReactorCoroutines.await(mono)} instead.
 */
public final class FetchPagesWithWebClient {
    private FetchPagesWithWebClient() {
    }

    /**
     * Fetches one page; the calling coroutine suspends until the response has arrived.
     *
     * @param client the client, shared by all fetches
     * @param uri the page
     * @return the status code and the body, e.g. {@code "200 <html>...</html>"}; a failed request throws what
     *         the {@code Mono} failed with (e.g. a {@code WebClientRequestException})
     * @throws IllegalStateException if not called from a coroutine
     */
    static String fetch(WebClient client, URI uri) {
        ResponseEntity<String> response = ReactorCoroutines.await(client.get().uri(uri).retrieve().toEntity(String.class));
        return response.getStatusCode().value() + " " + response.getBody();
    }

    /**
     * Fetches every page concurrently, one task each, and waits for all of them ({@code gather}).
     *
     * @param client the client
     * @param pages the pages
     * @return each page's {@link #fetch} result, in the order of {@code pages}
     * @throws IllegalStateException if not called from a coroutine
     */
    static List<String> fetchAll(WebClient client, List<URI> pages) {
        List<Task<String>> fetches = pages.stream()
                .map(uri -> createTask(() -> fetch(client, uri), "fetch " + uri.getPath()))
                .toList();
        return gather(fetches).await();
    }

    /** Runs the example against a {@link PageServer} on loopback. */
    public static void run() {
        try (PageServer server = PageServer.start(3)) {
            WebClient client = WebClient.create(); // Reactor Netty's shared connection pool and event loops
            List<URI> pages = server.pages(3, 1, 2);
            server.print(pages, Asyncio.run(() -> fetchAll(client, pages)));
        }
    }

    /** @param args ignored */
    public static void main(String[] args) {
        run();
    }
}
