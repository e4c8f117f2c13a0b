package dev.asyncio.transports;

import dev.asyncio.engine.Exceptions;
import dev.asyncio.engine.LoopEngine;
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
 * {@link #close()} (also through try-with-resources) stops listening but leaves live connections be;
 * {@link #closeAfter} is asyncio's {@code async with server:}, which closes and then waits.
 *
 * <p><b>Threads.</b> All methods must be called on the turn of the loop that created the server
 * ({@link #getLoop()}); {@link #waitClosed()} and {@link #serveForever()} suspend and must be called
 * from a coroutine.
 *
 * <p><b>Several loops</b> ({@link ServerOptions#withLoops}, asyncio's {@code reuse_port} model). The
 * server is then served by {@link #loops()}: the creating loop and N-1 loops of its own, each on its own
 * thread with its own selector. Each accepted connection belongs to one loop for its whole life: the
 * protocol factory, the protocol's callbacks and, for streams, the {@code client_connected} handler
 * task run on that loop's turn, on its thread, so the factory and the handler are called from several
 * threads at once and must share state with other connections only through thread-safe means (within
 * one loop the usual one-step-at-a-time rule holds). The methods of this object stay on the creating
 * loop's turn and act on every loop: {@link #close()} closes every loop's listening sockets,
 * {@link #closeClients()}/{@link #abortClients()} reach the connections of every loop, and
 * {@link #waitClosed()} returns once every loop's connections are closed and the extra loops have
 * ended. An extra loop ends when the server is closed and its connections are closed (handler tasks
 * still pending then are cancelled, as at the end of {@code asyncio.run}), or when the creating loop
 * closes (its connections are then aborted). Errors on an extra loop (an exception in a handler, a
 * failed accept) go to the creating loop's exception handler; once that loop is closed, to the
 * extra loop's default handler. The extra loops run on the system clock in the creating loop's
 * {@link dev.asyncio.CarrierMode}, and in debug mode if it is.
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
    /** The extra loops of a multi-loop server (empty for one loop); set while it is created. */
    private final List<ServerLoop> others = new ArrayList<>();
    private boolean serving;
    private boolean closed;
    private int active;
    /** Extra loops that have not ended yet: {@link #waitClosed()} waits for them too. */
    private int othersRunning;
    /** Whether this loop accepts for all loops and hands connections out in turn (no SO_REUSEPORT). */
    private boolean handsOut;
    private int nextLoop;
    private Future<Void> serveForeverFuture;
    /** asyncio's {@code keep_alive}: {@code SO_KEEPALIVE} on every accepted connection. */
    boolean keepAlive;

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
     * @return the loops serving this server: {@link #getLoop()} first, then the extra loops of a
     *     multi-loop server ({@link ServerOptions#withLoops}) in the order they were started
     */
    public List<EventLoop> loops() {
        List<EventLoop> all = new ArrayList<>(1 + others.size());
        all.add(loop);
        others.forEach(o -> all.add(o.loop()));
        return List.copyOf(all);
    }

    /**
     * @return the listening channels of every loop, asyncio's {@code Server.sockets} (empty once
     *     closed); use {@link #addresses()} for where they listen
     */
    public List<ServerSocketChannel> sockets() {
        if (closed) {
            return List.of();
        }
        if (others.isEmpty()) {
            return channels;
        }
        List<ServerSocketChannel> all = new ArrayList<>(channels);
        others.forEach(o -> all.addAll(o.channels()));
        return List.copyOf(all);
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
                    if (keepAlive) { // TCP only: a Unix-domain socket has no SO_KEEPALIVE
                        conn.setOption(java.net.StandardSocketOptions.SO_KEEPALIVE, true);
                    }
                }
            } catch (IOException e) {
                loop.callExceptionHandler(new ExceptionContext("socket.accept() out of system resource", e, null, null));
                return;
            }
            if (handsOut) {
                int k = nextLoop;
                nextLoop = (k + 1) % (others.size() + 1);
                if (k > 0) {
                    others.get(k - 1).adopt(conn);
                    continue;
                }
            }
            serve(conn);
        }
    }

    /** On the loop's turn: serves an accepted connection on this loop with a fresh protocol. */
    void serve(SocketChannel conn) {
        Protocol p;
        try {
            p = protocolFactory.get();
        } catch (RuntimeException | Error e) {
            closeQuietly(conn);
            loop.callExceptionHandler(new ExceptionContext("Error in the protocol factory of " + this, e, null, null));
            return;
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

    /**
     * On the creating loop's turn, from a coroutine: starts {@code extra} loops that serve this server
     * too, and suspends until each is ready (listening, or ready to be handed connections).
     *
     * @param extra how many loops to add
     * @param listen whether each loop listens on {@link #addresses()} itself with {@code SO_REUSEPORT};
     *     else this loop accepts for all and hands connections out in turn
     * @throws IOException if a loop could not bind (the server is then closed)
     */
    void startLoops(int extra, boolean listen) throws IOException {
        Future<Void> ready = loop.createFuture();
        int[] starting = {extra};
        Throwable[] failure = {null};
        handsOut = !listen;
        for (int i = 1; i <= extra; i++) {
            ServerLoop other = new ServerLoop(this, i, listen ? addresses : List.of(), protocolFactory, tls, backlog,
                    (started, error) -> {
                        if (error != null && failure[0] == null) {
                            failure[0] = error;
                        }
                        if (--starting[0] == 0) {
                            ready.setResult(null);
                        }
                    });
            others.add(other);
            othersRunning++;
            other.start();
        }
        // The other loops' threads report back through callSoonThreadsafe: work in flight for a virtual clock.
        LoopEngine.of(loop).externalWork(1);
        try {
            ready.await();
        } catch (RuntimeException | Error e) {
            close(); // cancelled while the loops start: none of them may serve a server nobody holds
            throw e;
        } finally {
            LoopEngine.of(loop).externalWork(-1);
        }
        if (failure[0] != null) {
            close();
            if (failure[0] instanceof IOException e) {
                throw e;
            }
            throw new IOException("an extra loop of " + this + " failed to start", failure[0]);
        }
    }

    /** On the creating loop's turn: one of the extra loops has ended (closed, its thread done). */
    void loopEnded() {
        othersRunning--;
        if (closed && active == 0 && othersRunning == 0) {
            wakeWaiters();
        }
    }

    /** @return whether {@link #waitClosed()} is over: closed, no connection left, every extra loop ended */
    private boolean isFullyClosed() {
        return closed && active == 0 && othersRunning == 0;
    }

    void attach() {
        active++;
    }

    void detach() {
        active--;
        clients.removeIf(Transport::isClosing);
        if (isFullyClosed()) {
            wakeWaiters();
        }
    }

    /**
     * Stops listening and closes the listening sockets (and removes the socket files of Unix servers);
     * connections already accepted stay open. A multi-loop server's other loops close theirs on their
     * own turn, shortly after. Idempotent.
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
        for (ServerLoop o : others) {
            o.closeServer();
        }
        if (serveForeverFuture != null && !serveForeverFuture.isDone()) {
            serveForeverFuture.cancel();
        }
        if (isFullyClosed()) {
            wakeWaiters();
        }
    }

    /**
     * Closes every accepted connection gracefully (asyncio 3.13's {@code close_clients}); those of the
     * extra loops of a multi-loop server are closed on their own loop's turn, shortly after.
     */
    public void closeClients() {
        for (Transport t : new ArrayList<>(clients)) {
            t.close();
        }
        for (ServerLoop o : others) {
            o.closeClients();
        }
    }

    /**
     * Aborts every accepted connection (asyncio 3.13's {@code abort_clients}); those of the extra loops
     * of a multi-loop server are aborted on their own loop's turn, shortly after.
     */
    public void abortClients() {
        for (Transport t : new ArrayList<>(clients)) {
            t.abort();
        }
        for (ServerLoop o : others) {
            o.abortClients();
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
     * Suspends until the server is closed and all its connections are closed (on every loop of a
     * multi-loop server, whose extra loops have then ended); asyncio's {@code wait_closed}. Returns at
     * once if that is already so.
     *
     * @throws dev.asyncio.CancelledError if the calling task is cancelled meanwhile
     * @throws IllegalStateException if not called from a coroutine of the server's loop
     */
    public void waitClosed() {
        if (isFullyClosed()) {
            return;
        }
        Future<Void> w = loop.createFuture();
        waiters.add(w);
        w.await();
    }

    /**
     * Runs {@code body}, then closes the server and waits until it is closed, even when {@code body}
     * fails; asyncio's {@code async with server: ...} (whose exit calls {@code close()} and awaits
     * {@code wait_closed()}). Java's try-with-resources cannot do this: {@link #close()} must not
     * suspend, since it is also called from callbacks. As with {@link #waitClosed()}, the wait lasts until
     * every accepted connection is closed too.
     *
     * <pre>{@code
     * server.closeAfter(() -> server.serveForever());
     * }</pre>
     *
     * @param body what to do while the server is open, e.g. {@link #serveForever()}
     * @param <T> its result type
     * @return what {@code body} returned
     * @throws dev.asyncio.CancelledError if the calling task is cancelled (during {@code body} or the
     *     wait); an exception {@code body} threw first is attached to it as suppressed
     * @throws IllegalStateException if not called from a coroutine of the server's loop
     */
    public <T> T closeAfter(dev.asyncio.Coroutine<T> body) {
        java.util.Objects.requireNonNull(body, "body");
        T value;
        try {
            value = body.call();
        } catch (Throwable e) {
            close();
            try {
                waitClosed();
            } catch (Throwable during) {
                during.addSuppressed(e);
                throw during;
            }
            throw Exceptions.sneaky(e);
        }
        close();
        waitClosed();
        return value;
    }

    /**
     * Runs {@code body}, then closes the server and waits until it is closed; see
     * {@link #closeAfter(dev.asyncio.Coroutine)}.
     *
     * @param body what to do while the server is open
     * @throws dev.asyncio.CancelledError if the calling task is cancelled meanwhile
     */
    public void closeAfter(dev.asyncio.VoidCoroutine body) {
        java.util.Objects.requireNonNull(body, "body");
        closeAfter(body.asCoroutine());
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
