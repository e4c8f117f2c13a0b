package dev.asyncio.examples;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.gather;

import dev.asyncio.Asyncio;
import dev.asyncio.Task;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * The tutorials' "fetch web pages concurrently" with the JDK's {@link HttpClient}: {@code sendAsync} returns a
 * {@code CompletableFuture}, and {@link Asyncio#await(java.util.concurrent.CompletableFuture)} suspends the
 * coroutine until it completes, leaving the loop free for the other fetches. Under {@code gather} the three
 * requests are in flight at once (the example's {@link PageServer} counts them).
 *
 * <pre>
 * async def fetch(session, url):
 *     async with session.get(url) as response:
 *         return await response.text()
 *
 * pages = await asyncio.gather(*(fetch(session, url) for url in urls))
 * </pre>
 *
 * <p><b>Not {@code HttpClient.send}.</b> The blocking {@code send} holds the coroutine's thread, and with it the
 * loop's turn, until the response is there: every other task of the loop stalls meanwhile, and three
 * {@code send}s under {@code gather} run one after another. Debug mode ({@code -Ddev.asyncio.debug=true})
 * reports such a call while it is stuck, e.g. {@code Task 'fetch /page/1' has held the event loop for 0.105
 * seconds and is still running}, followed by the task's stack down to {@code HttpClientImpl.send}. Use
 * {@code sendAsync} with {@code await}, or, for a library that only blocks, {@code Asyncio.toThread(() -> ...)}.
 */
public final class FetchPagesConcurrently {
    private FetchPagesConcurrently() {
    }

    /**
     * Fetches one page; the calling coroutine suspends until the response has arrived.
     *
     * @param client the client, shared by all fetches
     * @param uri the page
     * @return the status code and the body, e.g. {@code "200 <html>...</html>"}; a failed request throws what
     *         {@code sendAsync}'s future failed with (an {@code IOException}, a {@code ConnectException}, ...)
     * @throws IllegalStateException if not called from a coroutine
     */
    static String fetch(HttpClient client, URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
        HttpResponse<String> response = Asyncio.await(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        return response.statusCode() + " " + response.body();
    }

    /**
     * Fetches every page concurrently, one task each, and waits for all of them ({@code gather}).
     *
     * @param client the client
     * @param pages the pages
     * @return each page's {@link #fetch} result, in the order of {@code pages}
     * @throws IllegalStateException if not called from a coroutine
     */
    static List<String> fetchAll(HttpClient client, List<URI> pages) {
        List<Task<String>> fetches = pages.stream()
                .map(uri -> createTask(() -> fetch(client, uri), "fetch " + uri.getPath()))
                .toList();
        return gather(fetches).await();
    }

    /** Runs the example against a {@link PageServer} on loopback. */
    public static void run() {
        // Created and closed outside the coroutine: close() waits for the client's threads to end.
        try (PageServer server = PageServer.start(3); HttpClient client = HttpClient.newHttpClient()) {
            List<URI> pages = server.pages(3, 1, 2);
            server.print(pages, Asyncio.run(() -> fetchAll(client, pages)));
        }
    }

    /** @param args ignored */
    public static void main(String[] args) {
        run();
    }
}
