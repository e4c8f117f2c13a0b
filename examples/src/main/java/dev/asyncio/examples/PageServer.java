package dev.asyncio.examples;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The web the fetch examples run against, so that they need no network: a real HTTP/1.1 server on loopback
 * (the JDK's {@code com.sun.net.httpserver}), where {@code GET /page/N} answers
 * {@code <html><title>Page N</title></html>}.
 *
 * <p>It makes concurrency visible without a stopwatch: every response is held back until {@code together}
 * requests have arrived, and the server records how many requests it ever had in flight at once. A client
 * that fetches the pages one after another gets each answer only after {@link #HOLD_AT_MOST} and leaves
 * {@link #maxInFlight()} at 1; a concurrent one gets all answers as soon as the last request arrives.
 *
 * <p>Requests are served on virtual threads; all methods may be called from any thread.
 */
public final class PageServer implements AutoCloseable {
    /** How long a response waits for the other requests before it is sent anyway. */
    public static final java.time.Duration HOLD_AT_MOST = java.time.Duration.ofSeconds(10);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch arrived;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    private PageServer(int together) throws IOException {
        this.arrived = new CountDownLatch(together);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/page/", exchange -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                arrived.countDown();
                arrived.await(HOLD_AT_MOST.toMillis(), TimeUnit.MILLISECONDS);
                String n = exchange.getRequestURI().getPath().substring("/page/".length());
                byte[] body = ("<html><title>Page " + n + "</title></html>").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the server is stopping
            } finally {
                inFlight.decrementAndGet();
                exchange.close();
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Starts a server on an ephemeral loopback port.
     *
     * @param together how many requests every response waits for (at most {@link #HOLD_AT_MOST}); 1 answers at once
     * @return the running server; close it when done
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static PageServer start(int together) {
        try {
            return new PageServer(together);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param n the page number
     * @return the absolute URI of page {@code n}, e.g. {@code http://127.0.0.1:40123/page/2}
     */
    public URI page(int n) {
        return URI.create(base() + "/page/" + n);
    }

    /**
     * @param numbers page numbers
     * @return the URIs of those pages, in that order
     */
    public List<URI> pages(int... numbers) {
        return IntStream.of(numbers).mapToObj(this::page).toList();
    }

    /**
     * Prints what a fetch example got, one line a page ({@code /page/3 -> 200 <html>...}), and how many requests
     * this server had in flight at once.
     *
     * @param pages the pages fetched
     * @param results what was fetched, in the order of {@code pages}
     */
    public void print(List<URI> pages, List<String> results) {
        for (int i = 0; i < pages.size(); i++) {
            System.out.println(pages.get(i).getPath() + " -> " + results.get(i));
        }
        System.out.println("requests in flight at once: " + maxInFlight());
    }

    /** @return the server's base URI, e.g. {@code http://127.0.0.1:40123} */
    public String base() {
        InetSocketAddress address = server.getAddress();
        return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** @return the most requests this server has had in flight at one time */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Stops the server at once and ends the threads of requests still held. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
