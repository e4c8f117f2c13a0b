package dev.asyncio.transports;

import dev.asyncio.EventLoop;
import dev.asyncio.EventLoopIo;
import dev.asyncio.ExceptionContext;
import dev.asyncio.Future;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * asyncio's {@code Server}: listening sockets that accept connections, each served by a fresh protocol
 * from the factory; returned by {@link Transports#createServer} and {@code Streams.startServer}.
 *
 * <p>As in asyncio 3.12+, {@link #waitClosed()} returns once the server is closed <em>and</em> every
 * connection it accepted is closed; {@link #closeClients()} and {@link #abortClients()} end them.
 * {@link #close()} (also through try-with-resources) stops listening but leaves live connections be.
 *
 * <p><b>Threads.</b> All methods must be called on the loop's turn; {@link #waitClosed()} and
 * {@link #serveForever()} suspend and must be called from a coroutine.
 *
 * <p><b>Virtual time.</b> Listening is not work in flight: a loop with an auto-jumping virtual clock
 * jumps past timers while a server waits for connections (else a test with a server would never move
 * time). A coroutine suspended on a connection's read does count.
 */
public final class Server implements AutoCloseable {
    /** asyncio's default {@code backlog}. */
    static final int DEFAULT_BACKLOG = 100;

    private final EventLoop loop;
    private final EventLoopIo io;
    private final List<ServerSocketChannel> channels;
    private final List<SocketAddress> addresses;
    private final Supplier<? extends Protocol> protocolFactory;
    private final TlsOptions tls;
    private final int backlog;
    private final Set<Transport> clients = new LinkedHashSet<>();
    private final List<Future<Void>> waiters = new ArrayList<>();
    private final List<Path> unixPaths;
    private boolean serving;
    private boolean closed;
    private int active;
    private Future<Void> serveForeverFuture;

    Server(EventLoop loop, List<ServerSocketChannel> channels, Supplier<? extends Protocol> protocolFactory,
            TlsOptions tls, int backlog, List<Path> unixPaths) throws IOException {
        this.loop = loop;
        this.io = EventLoopIo.of(loop);
        this.channels = List.copyOf(channels);
        List<SocketAddress> a = new ArrayList<>();
        for (ServerSocketChannel c : channels) {
            a.add(c.getLocalAddress());
        }
        this.addresses = List.copyOf(a);
        this.protocolFactory = protocolFactory;
        this.tls = tls;
        this.backlog = backlog;
        this.unixPaths = List.copyOf(unixPaths);
    }

    /** @return the loop this server runs on */
    public EventLoop getLoop() {
        return loop;
    }

    /**
     * @return the listening channels, asyncio's {@code Server.sockets} (empty once closed); use
     *     {@link #addresses()} for where they listen
     */
    public List<ServerSocketChannel> sockets() {
        return closed ? List.of() : channels;
    }

    /**
     * @return the bound addresses (an {@link java.net.InetSocketAddress} with the actual port when port
     *     0 was asked for, or a {@link UnixDomainSocketAddress})
     */
    public List<SocketAddress> addresses() {
        return addresses;
    }

    /** @return whether the server accepts connections */
    public boolean isServing() {
        return serving;
    }

    /**
     * Starts accepting connections, if not already; asyncio's {@code start_serving}. Servers start
     * serving at creation unless asked not to.
     *
     * @throws IllegalStateException if the server is closed, or off the loop's turn
     */
    public void startServing() {
        if (closed) {
            throw new IllegalStateException("server " + this + " is closed");
        }
        if (serving) {
            return;
        }
        serving = true;
        for (ServerSocketChannel c : channels) {
            io.addReader(c, () -> acceptReady(c));
        }
    }

    private void acceptReady(ServerSocketChannel c) {
        // asyncio accepts up to `backlog` connections per readiness event.
        for (int i = 0; i < backlog && serving; i++) {
            SocketChannel conn;
            try {
                conn = c.accept();
                if (conn == null) {
                    return;
                }
                conn.configureBlocking(false);
                if (conn.getRemoteAddress() instanceof java.net.InetSocketAddress) {
                    // asyncio sets TCP_NODELAY on every TCP socket it makes, accepted ones included.
                    conn.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                }
            } catch (IOException e) {
                loop.callExceptionHandler(new ExceptionContext("socket.accept() out of system resource", e, null, null));
                return;
            }
            Protocol p;
            try {
                p = protocolFactory.get();
            } catch (RuntimeException | Error e) {
                closeQuietly(conn);
                loop.callExceptionHandler(new ExceptionContext("Error in the protocol factory of " + this, e, null, null));
                continue;
            }
            if (tls == null) {
                SocketTransport t = new SocketTransport(loop, conn, p, this);
                clients.add(t);
                t.start(null);
            } else {
                TlsProtocol tp = new TlsProtocol(loop, p, tls, true, null, null);
                SocketTransport raw = new SocketTransport(loop, conn, tp, this);
                clients.add(raw);
                raw.start(null);
            }
        }
    }

    void attach() {
        active++;
    }

    void detach() {
        active--;
        clients.removeIf(Transport::isClosing);
        if (active == 0 && closed) {
            wakeWaiters();
        }
    }

    /**
     * Stops listening and closes the listening sockets (and removes the socket files of Unix servers);
     * connections already accepted stay open. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ServerSocketChannel c : channels) {
            io.removeReader(c);
        }
        serving = false;
        for (ServerSocketChannel c : channels) {
            closeQuietly(c);
        }
        for (Path p : unixPaths) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // asyncio ignores a socket file already gone or not removable too
            }
        }
        if (serveForeverFuture != null && !serveForeverFuture.isDone()) {
            serveForeverFuture.cancel();
        }
        if (active == 0) {
            wakeWaiters();
        }
    }

    /** Closes every accepted connection gracefully (asyncio 3.13's {@code close_clients}). */
    public void closeClients() {
        for (Transport t : new ArrayList<>(clients)) {
            t.close();
        }
    }

    /** Aborts every accepted connection (asyncio 3.13's {@code abort_clients}). */
    public void abortClients() {
        for (Transport t : new ArrayList<>(clients)) {
            t.abort();
        }
    }

    private void wakeWaiters() {
        for (Future<Void> w : waiters) {
            if (!w.isDone()) {
                w.setResult(null);
            }
        }
        waiters.clear();
    }

    /**
     * Suspends until the server is closed and all its connections are closed; asyncio's
     * {@code wait_closed}. Returns at once if that is already so.
     *
     * @throws dev.asyncio.CancelledError if the calling task is cancelled meanwhile
     * @throws IllegalStateException if not called from a coroutine of the server's loop
     */
    public void waitClosed() {
        if (closed && active == 0) {
            return;
        }
        Future<Void> w = loop.createFuture();
        waiters.add(w);
        w.await();
    }

    /**
     * Serves until the calling task is cancelled or the server is closed, then closes the server;
     * asyncio's {@code serve_forever}.
     *
     * @throws dev.asyncio.CancelledError when cancelled (or when another coroutine closes the server)
     * @throws IllegalStateException if already serving forever, or if the server is closed
     */
    public void serveForever() {
        if (serveForeverFuture != null) {
            throw new IllegalStateException("server " + this + " is already being awaited on serveForever()");
        }
        if (closed) {
            throw new IllegalStateException("server " + this + " is closed");
        }
        startServing();
        serveForeverFuture = loop.createFuture();
        try {
            serveForeverFuture.await();
        } finally {
            close();
            serveForeverFuture = null;
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public String toString() {
        return "Server[" + addresses + (closed ? ", closed" : serving ? ", serving" : "") + ", connections=" + active + "]";
    }
}
