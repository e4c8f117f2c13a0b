package dev.asyncio.transports;

import dev.asyncio.CancelledError;
import dev.asyncio.Clock;
import dev.asyncio.EventLoop;
import dev.asyncio.ExceptionContext;
import dev.asyncio.Runner;
import dev.asyncio.engine.LoopEngine;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * One extra loop of a multi-loop {@link Server} ({@link ServerOptions#withLoops}): a new
 * {@link EventLoop} with its own selector, hosted on a helper thread of the creating loop, serving its
 * own part of the server (a {@link Server} of that loop). The part either listens itself on the
 * server's addresses with {@code SO_REUSEPORT} (the kernel spreads connections over the loops' sockets)
 * or has no socket and is handed connections accepted by the creating loop ({@link #adopt}).
 *
 * <p>Life: the thread binds, reports "started" to the creating loop, then waits until its part is
 * closed and has no connection left ({@link Server#waitClosed()}), as a Python program's
 * {@code asyncio.run(main())} whose {@code main} awaits {@code server.wait_closed()}; the loop then ends
 * as {@code asyncio.run} ends (leftover tasks cancelled) and the thread reports "ended". If the
 * creating loop closes first, it interrupts the thread, which cancels the wait, aborts the part's
 * connections and ends the same way.
 *
 * <p>Threads: the constructor and the methods other than {@link #run()} are called on the creating
 * loop's turn; they reach this loop through {@link EventLoop#callSoonThreadsafe}. Every report back runs
 * on the creating loop's turn.
 */
final class ServerLoop {
    private final Server primary;
    private final EventLoop creator;
    private final EventLoop loop;
    private final int index;
    private final List<SocketAddress> listenOn;
    private final Supplier<? extends Protocol> protocolFactory;
    private final TlsOptions tls;
    private final int backlog;
    private final BiConsumer<ServerLoop, Throwable> onStarted;
    /** This loop's part, set on its thread before "started" is reported (which publishes it). */
    private volatile Server part;
    private volatile List<ServerSocketChannel> channels = List.of();
    /** Set by {@link #closeServer()}, which may come before the part exists (the server failed to start). */
    private volatile boolean closeRequested;

    /**
     * @param primary the server as the creating loop sees it
     * @param index this loop's number, 1 for the first extra loop (names its thread)
     * @param listenOn where to listen with {@code SO_REUSEPORT}; empty: no socket, connections are handed in
     * @param protocolFactory makes a protocol per connection, called on this loop's turn
     * @param tls server TLS settings or {@code null}
     * @param backlog the listen backlog
     * @param onStarted called on the creating loop's turn once this loop serves (error {@code null}) or
     *     failed to start
     */
    ServerLoop(Server primary, int index, List<SocketAddress> listenOn, Supplier<? extends Protocol> protocolFactory,
            TlsOptions tls, int backlog, BiConsumer<ServerLoop, Throwable> onStarted) {
        this.primary = primary;
        this.creator = primary.getLoop();
        this.index = index;
        this.listenOn = List.copyOf(listenOn);
        this.protocolFactory = protocolFactory;
        this.tls = tls;
        this.backlog = backlog;
        this.onStarted = onStarted;
        this.loop = new EventLoop(Clock.system(), creator.getCarrierMode());
        loop.setDebug(creator.getDebug());
        loop.setExceptionHandler((l, context) -> forward(context));
    }

    /** Starts the loop's thread; see the class documentation for what it does. */
    void start() {
        LoopEngine.of(creator).startHelper("asyncio-server-loop-" + index, this::run);
    }

    /** @return this loop (running from {@link #start()} until it ends) */
    EventLoop loop() {
        return loop;
    }

    /** @return this loop's listening sockets (empty when connections are handed in) */
    List<ServerSocketChannel> channels() {
        return channels;
    }

    /** Hands an accepted connection to this loop, which serves it; closes it if the loop has ended. */
    void adopt(SocketChannel conn) {
        Server p = part;
        if (p == null || !onThisLoop(() -> p.serve(conn))) {
            try {
                conn.close();
            } catch (IOException ignored) {
                // the connection was never served: nothing else to undo
            }
        }
    }

    /** Closes this loop's part (its listening sockets); the loop ends once its connections are closed. */
    void closeServer() {
        closeRequested = true;
        Server p = part;
        if (p != null) {
            onThisLoop(p::close);
        }
    }

    /** Closes this loop's connections gracefully. */
    void closeClients() {
        Server p = part;
        if (p != null) {
            onThisLoop(p::closeClients);
        }
    }

    /** Aborts this loop's connections. */
    void abortClients() {
        Server p = part;
        if (p != null) {
            onThisLoop(p::abortClients);
        }
    }

    /** The thread's body: runs this loop until its part is closed and drained, or the creating loop closes. */
    private void run() {
        boolean[] reported = {false};
        Runner runner = new Runner(() -> loop, null);
        try {
            runner.run(() -> {
                Server p;
                try {
                    p = open();
                } catch (IOException | RuntimeException e) {
                    reported[0] = true;
                    toCreator(() -> onStarted.accept(this, e));
                    return;
                }
                part = p;
                if (closeRequested) {
                    // closeServer() came before part was set, so it could not reach it: volatile flag and part
                    // are written and read in opposite orders, so one side always sees the other.
                    p.close();
                }
                reported[0] = true;
                toCreator(() -> onStarted.accept(this, null));
                try {
                    p.waitClosed();
                } finally {
                    // Normally a no-op; when the creating loop closed first, nothing may outlive this loop.
                    p.close();
                    p.abortClients();
                }
            });
        } catch (CancelledError creatorClosed) {
            // the creating loop closed and interrupted this thread: this loop ends with it
        } catch (RuntimeException | Error e) {
            forward(new ExceptionContext("extra loop " + index + " of " + primary + " failed", e, null, null));
        } finally {
            try {
                runner.close();
            } finally {
                if (!reported[0]) {
                    toCreator(() -> onStarted.accept(this, new IOException("extra loop " + index + " ended before it served")));
                }
                toCreator(primary::loopEnded);
            }
        }
    }

    /** On this loop's turn: listens on {@link #listenOn} with {@code SO_REUSEPORT} and starts serving. */
    private Server open() throws IOException {
        List<ServerSocketChannel> opened = new ArrayList<>();
        try {
            for (SocketAddress a : listenOn) {
                InetSocketAddress address = (InetSocketAddress) a;
                ServerSocketChannel s = ServerSocketChannel.open(address.getAddress() instanceof Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                opened.add(s);
                s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                s.configureBlocking(false);
                s.bind(address, backlog);
            }
            Server p = new Server(loop, opened, protocolFactory, tls, backlog, List.of());
            p.keepAlive = primary.keepAlive;
            channels = List.copyOf(opened);
            p.startServing();
            return p;
        } catch (IOException | RuntimeException e) {
            for (ServerSocketChannel s : opened) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            throw e;
        }
    }

    /** An error on this loop goes to the creating loop's handler; once that loop is closed, to this one's default. */
    private void forward(ExceptionContext context) {
        if (!toCreator(() -> creator.callExceptionHandler(context))) {
            loop.defaultExceptionHandler(context);
        }
    }

    private boolean toCreator(Runnable r) {
        return post(creator, r);
    }

    private boolean onThisLoop(Runnable r) {
        return post(loop, r);
    }

    /** @return whether {@code r} was scheduled on {@code target}: false once that loop is closed */
    private static boolean post(EventLoop target, Runnable r) {
        try {
            target.callSoonThreadsafe(r);
            return true;
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "ServerLoop[" + index + " of " + primary + "]";
    }
}
