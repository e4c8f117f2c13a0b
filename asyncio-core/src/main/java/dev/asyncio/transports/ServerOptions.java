package dev.asyncio.transports;

/**
 * How a server listens: asyncio's {@code start_server}/{@code create_server} keyword arguments
 * {@code ssl}, {@code backlog}, {@code reuse_port}, {@code start_serving} and {@code keep_alive}, plus
 * the number of event loops that serve it.
 * Immutable; start from {@link #DEFAULT} and change it with the {@code with…} methods:
 *
 * <pre>{@code
 * Server server = Streams.startServer(handler, "127.0.0.1", 8888, ServerOptions.DEFAULT.withLoops(2));
 * }</pre>
 *
 * <p><b>Several loops</b> ({@link #withLoops}) are asyncio's {@code reuse_port} model inside one process:
 * where a Python program runs N processes (or N threads, each with its own loop) that all call
 * {@code start_server(..., reuse_port=True)} on one port, here one call starts N loops, each with its
 * own selector and its own thread, behind one {@link Server}. Each accepted connection belongs to one
 * loop for its whole life: its protocol (for streams, its {@code client_connected} handler task) runs
 * on that loop, one step at a time, as always; connections on different loops run in parallel. On
 * Linux each loop has its own listening socket with {@code SO_REUSEPORT} and the kernel spreads
 * connections over them; elsewhere the calling loop accepts and hands each connection to the loops in
 * turn. See {@link Server} for the threading rules.
 *
 * @param tls server TLS settings ({@link TlsOptions#server}), or {@code null} for plain TCP
 * @param backlog the listen backlog (asyncio's default is 100); at least 1
 * @param reusePort asyncio's {@code reuse_port}: set {@code SO_REUSEPORT} on the listening sockets so
 *     that other sockets (of this or another process) may bind the same address and port
 * @param loops how many event loops serve the server: 1 (the default) is the calling loop only; N
 *     adds N-1 loops, each on its own thread, started with the server and closed with it
 * @param startServing asyncio's {@code start_serving}: whether the server accepts connections at once
 *     (the default), or only after {@link Server#startServing()} or {@link Server#serveForever()}; only
 *     with one loop
 * @param keepAlive asyncio 3.13's {@code keep_alive}: set {@code SO_KEEPALIVE} on every accepted TCP
 *     connection, so that the kernel probes idle peers and a vanished one ends the connection
 */
public record ServerOptions(TlsOptions tls, int backlog, boolean reusePort, int loops, boolean startServing,
        boolean keepAlive) {
    /** Plain TCP, backlog 100, no {@code SO_REUSEPORT}, one loop, serving at once, no keep-alive: asyncio's defaults. */
    public static final ServerOptions DEFAULT = new ServerOptions(null, Server.DEFAULT_BACKLOG, false, 1);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if {@code backlog} or {@code loops} is below 1, or
     *     {@code startServing} is off with several loops (their listening sockets serve as they open)
     */
    public ServerOptions {
        if (backlog <= 0) {
            throw new IllegalArgumentException("backlog must be positive: " + backlog);
        }
        if (loops < 1) {
            throw new IllegalArgumentException("a server needs at least one loop, got loops=" + loops);
        }
        if (!startServing && loops > 1) {
            throw new IllegalArgumentException("startServing=false needs a one-loop server: the extra loops of "
                    + "withLoops(" + loops + ") serve as soon as they listen");
        }
    }

    /**
     * The options before {@code startServing} and {@code keepAlive} existed: serving at once, no keep-alive.
     *
     * @param tls server TLS settings, or {@code null}
     * @param backlog the listen backlog, at least 1
     * @param reusePort whether to set {@code SO_REUSEPORT}
     * @param loops how many event loops serve the server
     * @throws IllegalArgumentException if {@code backlog} or {@code loops} is below 1
     */
    public ServerOptions(TlsOptions tls, int backlog, boolean reusePort, int loops) {
        this(tls, backlog, reusePort, loops, true, false);
    }

    /**
     * @param tls server TLS settings, or {@code null} for plain TCP
     * @return a copy with {@code tls}
     */
    public ServerOptions withTls(TlsOptions tls) {
        return new ServerOptions(tls, backlog, reusePort, loops, startServing, keepAlive);
    }

    /**
     * @param backlog the listen backlog, at least 1
     * @return a copy with {@code backlog}
     * @throws IllegalArgumentException if {@code backlog < 1}
     */
    public ServerOptions withBacklog(int backlog) {
        return new ServerOptions(tls, backlog, reusePort, loops, startServing, keepAlive);
    }

    /**
     * @param reusePort whether to set {@code SO_REUSEPORT} on the listening sockets
     * @return a copy with {@code reusePort}
     */
    public ServerOptions withReusePort(boolean reusePort) {
        return new ServerOptions(tls, backlog, reusePort, loops, startServing, keepAlive);
    }

    /**
     * @param loops how many event loops serve the server (the calling loop plus {@code loops - 1} new
     *     ones), e.g. {@link Runtime#availableProcessors()}
     * @return a copy with {@code loops}
     * @throws IllegalArgumentException if {@code loops < 1}
     */
    public ServerOptions withLoops(int loops) {
        return new ServerOptions(tls, backlog, reusePort, loops, startServing, keepAlive);
    }

    /**
     * @param startServing whether the server accepts at once; {@code false} waits for
     *     {@link Server#startServing()} or {@link Server#serveForever()}
     * @return a copy with {@code startServing}
     * @throws IllegalArgumentException if {@code false} with several loops
     */
    public ServerOptions withStartServing(boolean startServing) {
        return new ServerOptions(tls, backlog, reusePort, loops, startServing, keepAlive);
    }

    /**
     * @param keepAlive whether accepted connections get {@code SO_KEEPALIVE}
     * @return a copy with {@code keepAlive}
     */
    public ServerOptions withKeepAlive(boolean keepAlive) {
        return new ServerOptions(tls, backlog, reusePort, loops, startServing, keepAlive);
    }
}
