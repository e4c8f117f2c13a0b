package dev.asyncio.examples;

import static dev.asyncio.Asyncio.gather;

import com.sun.net.httpserver.HttpServer;
import dev.asyncio.Asyncio;
import dev.asyncio.Coroutine;
import dev.asyncio.streams.StreamConnection;
import dev.asyncio.streams.StreamReader;
import dev.asyncio.streams.Streams;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The tutorials' "fetch web pages concurrently": three pages fetched at once with {@code gather}. The
 * example starts its own HTTP server on loopback (the JDK's {@code com.sun.net.httpserver}), each page
 * answering after a delay, and fetches with a small HTTP/1.1 client written over our streams, so the
 * three fetches overlap: the whole takes about as long as the slowest page, not the sum.
 *
 * <pre>
 * async def fetch(session, url):
 *     async with session.get(url) as response:
 *         return await response.text()
 *
 * pages = await asyncio.gather(*(fetch(session, url) for url in urls))
 * </pre>
 */
public final class FetchPagesConcurrently {
    private FetchPagesConcurrently() {
    }

    /** What a GET returned. */
    record Page(int status, String body) {
    }

    /** A minimal HTTP/1.1 GET over {@link Streams#openConnection}: status line, headers, Content-Length body. */
    static Page fetch(String host, int port, String path) throws IOException {
        StreamConnection c = Streams.openConnection(host, port);
        try {
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n\r\n";
            c.writer().write(request.getBytes(StandardCharsets.US_ASCII));
            c.writer().drain();
            StreamReader in = c.reader();
            String statusLine = new String(in.readline(), StandardCharsets.US_ASCII).strip();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x response: " + statusLine);
            }
            int length = -1;
            while (true) {
                String header = new String(in.readline(), StandardCharsets.US_ASCII).strip();
                if (header.isEmpty()) {
                    break;
                }
                int colon = header.indexOf(':');
                if (colon > 0 && header.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                    length = Integer.parseInt(header.substring(colon + 1).trim());
                }
            }
            byte[] body = length >= 0 ? in.readexactly(length) : in.read(-1);
            return new Page(Integer.parseInt(parts[1]), new String(body, StandardCharsets.UTF_8));
        } finally {
            c.writer().close();
        }
    }

    /** Starts a loopback HTTP server whose page {@code /page/N} answers after N × 100 ms. */
    static HttpServer startLocalServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/page/", exchange -> {
            String n = exchange.getRequestURI().getPath().substring("/page/".length());
            try {
                Thread.sleep(100L * Integer.parseInt(n));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = ("<html><title>Page " + n + "</title></html>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return server;
    }

    /** Runs the example. */
    public static void run() {
        HttpServer http;
        try {
            http = startLocalServer();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int port = http.getAddress().getPort();
        try {
            Asyncio.run(() -> {
                long start = System.nanoTime();
                List<String> paths = List.of("/page/3", "/page/1", "/page/2");
                @SuppressWarnings("unchecked")
                Coroutine<Page>[] fetches = paths.stream()
                        .map(p -> (Coroutine<Page>) () -> fetch("127.0.0.1", port, p))
                        .toArray(Coroutine[]::new);
                List<Page> pages = gather(fetches).await();
                for (int i = 0; i < pages.size(); i++) {
                    Page page = pages.get(i);
                    System.out.println(paths.get(i) + " -> " + page.status() + " " + page.body());
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                // Sequential fetches would take 0.6 s; concurrent ones about 0.3 s.
                System.out.println(seconds < 0.55 ? "fetched concurrently" : String.format("took %.2f s", seconds));
            });
        } finally {
            http.stop(0);
        }
    }

    /** @param args ignored */
    public static void main(String[] args) {
        run();
    }
}
