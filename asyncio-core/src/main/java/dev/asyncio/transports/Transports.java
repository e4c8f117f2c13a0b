package dev.asyncio.transports;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.EventLoopIo;
import dev.asyncio.Future;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * asyncio's transport-level loop methods: {@code create_connection}, {@code create_server},
 * {@code create_unix_connection}, {@code create_unix_server}, {@code create_datagram_endpoint} and
 * {@code start_tls}, for the loop running the calling coroutine. (asyncio has them on the loop; here
 * they are static methods that use the running loop, like {@link Asyncio}'s.)
 *
 * <p>Every method suspends the calling coroutine and must be called from one (else
 * {@link IllegalStateException}); the transports it makes then live on that loop. Name resolution runs
 * off the loop ({@link EventLoopIo#getaddrinfo}). TCP connections get {@code TCP_NODELAY}, as in
 * asyncio.
 */
public final class Transports {
    private Transports() {
    }

    // ------------------------------------------------------------------ clients

    /**
     * Opens a TCP connection and connects a protocol to it; asyncio's {@code create_connection} with its
     * defaults ({@link ConnectionOptions#DEFAULT}): each resolved address is tried in turn.
     *
     * @param protocolFactory makes the protocol (called once, on success)
     * @param host the host name or address
     * @param port the port
     * @param <P> the protocol type
     * @return the transport and protocol, after {@link Protocol#connectionMade} ran
     * @throws IOException if no address connects ({@link java.net.ConnectException} when refused; see
     *     {@link #createConnection(Supplier, String, int, ConnectionOptions)} for several addresses) or
     *     the name does not resolve ({@link java.net.UnknownHostException})
     * @throws IllegalStateException if not called from a coroutine
     */
    public static <P extends Protocol> Connection<P> createConnection(Supplier<P> protocolFactory, String host, int port)
            throws IOException {
        return createConnection(protocolFactory, host, port, null, null);
    }

    /**
     * Opens a TCP connection, with TLS if {@code tls} is given; asyncio's
     * {@code create_connection(..., ssl=, server_hostname=)}.
     *
     * @param protocolFactory makes the protocol
     * @param host the host name or address
     * @param port the port
     * @param tls TLS settings, or {@code null} for plain TCP
     * @param serverHostname the name to verify the certificate against and send as SNI, {@code null}
     *     for {@code host}, or {@code ""} for no host-name check and no SNI (asyncio's
     *     {@code server_hostname=''}; the certificate chain is still verified)
     * @param <P> the protocol type
     * @return the transport and protocol, after the TLS handshake if any
     * @throws IOException if the connection fails, or the TLS handshake does
     *     ({@link javax.net.ssl.SSLHandshakeException} for a certificate or host name that does not
     *     verify)
     * @throws dev.asyncio.TimeoutError if the TLS handshake exceeds its time-out
     */
    public static <P extends Protocol> Connection<P> createConnection(Supplier<P> protocolFactory, String host, int port,
            TlsOptions tls, String serverHostname) throws IOException {
        return createConnection(protocolFactory, host, port, ConnectionOptions.DEFAULT.withTls(tls, serverHostname));
    }

    /**
     * Opens a TCP connection as {@code options} say; asyncio's {@code create_connection} with
     * {@code ssl=}, {@code server_hostname=}, {@code happy_eyeballs_delay=}, {@code interleave=},
     * {@code local_addr=} and {@code all_errors=}. The name is resolved off the loop; the addresses are
     * tried one after another, or staggered with a Happy Eyeballs delay (see {@link ConnectionOptions}),
     * and the first that connects is used.
     *
     * @param protocolFactory makes the protocol (called once, on success, on the loop's turn)
     * @param host the host name or address
     * @param port the port
     * @param options how to connect, e.g. {@code ConnectionOptions.DEFAULT.withHappyEyeballsDelay(Duration.ofMillis(250))}
     * @param <P> the protocol type
     * @return the transport and protocol, after {@link Protocol#connectionMade} ran (and the TLS
     *     handshake, if any)
     * @throws IOException if no address connects: the only error, or the first when all say the same
     *     ({@link java.net.ConnectException} when refused), else one {@link IOException} "Multiple
     *     exceptions: ..." with each error attached as suppressed; also if the name does not resolve
     *     ({@link java.net.UnknownHostException}) or the TLS handshake fails
     * @throws dev.asyncio.TaskGroupException with {@link ConnectionOptions#allErrors()}, when no address
     *     connects: every attempt's error, in the order the addresses were tried
     * @throws IllegalStateException if not called from a coroutine
     * @throws dev.asyncio.CancelledError if the calling task is cancelled meanwhile (every socket opened
     *     so far is closed)
     */
    public static <P extends Protocol> Connection<P> createConnection(Supplier<P> protocolFactory, String host, int port,
            ConnectionOptions options) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        EventLoopIo io = EventLoopIo.current();
        List<InetSocketAddress> addresses = resolve(io, host, port);
        SocketChannel ch = ConnectAttempts.connect(io, addresses, resolveLocal(io, options.localAddress()), options);
        String serverHostname = options.serverHostname() != null ? options.serverHostname() : host;
        return connected(io.loop(), ch, protocolFactory, options.tls(), serverHostname, port);
    }

    /**
     * As {@link #createConnection(Supplier, String, int, ConnectionOptions)}, on addresses already
     * resolved (for tests of the attempt order, which a real resolver cannot be made to return).
     */
    static <P extends Protocol> Connection<P> createConnection(Supplier<P> protocolFactory,
            List<InetSocketAddress> addresses, ConnectionOptions options) throws IOException {
        EventLoopIo io = EventLoopIo.current();
        SocketChannel ch = ConnectAttempts.connect(io, addresses, resolveLocal(io, options.localAddress()), options);
        return connected(io.loop(), ch, protocolFactory, options.tls(), options.serverHostname(), -1);
    }

    /**
     * Wraps a socket connected beforehand in a transport; asyncio's {@code create_connection(sock=)}.
     * The channel is switched to non-blocking mode and, for TCP, gets {@code TCP_NODELAY}; from then on
     * the transport owns it (closing the transport closes it).
     *
     * @param protocolFactory makes the protocol
     * @param sock a connected socket channel (TCP or Unix-domain)
     * @param tls TLS settings, or {@code null} for none
     * @param serverHostname with TLS: the name to verify the certificate against (required, as in
     *     asyncio, since there is no host to default to), or {@code ""} for no host-name check
     * @param <P> the protocol type
     * @return the transport and protocol, after {@link Protocol#connectionMade} ran
     * @throws IllegalArgumentException if {@code sock} is not connected, or {@code serverHostname} is
     *     missing with TLS or given without it
     * @throws IOException if configuring the channel or the TLS handshake fails
     * @throws IllegalStateException if not called from a coroutine
     */
    public static <P extends Protocol> Connection<P> createConnection(Supplier<P> protocolFactory, SocketChannel sock,
            TlsOptions tls, String serverHostname) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(sock, "sock");
        if (!sock.isConnected()) {
            throw new IllegalArgumentException("sock must be a connected socket channel (connect it first, or pass "
                    + "host and port instead): " + sock);
        }
        if (tls != null && serverHostname == null) {
            throw new IllegalArgumentException("serverHostname is required with tls and a socket: there is no host "
                    + "to check the certificate against (\"\" turns the check off)");
        }
        if (tls == null && serverHostname != null) {
            throw new IllegalArgumentException("serverHostname is only meaningful with tls");
        }
        EventLoopIo io = EventLoopIo.current();
        sock.configureBlocking(false);
        SocketAddress peer = sock.getRemoteAddress();
        if (peer instanceof InetSocketAddress) {
            sock.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        int port = peer instanceof InetSocketAddress isa ? isa.getPort() : -1;
        return connected(io.loop(), sock, protocolFactory, tls, serverHostname, port);
    }

    /**
     * Connects to a Unix-domain socket; asyncio's {@code create_unix_connection}.
     *
     * @param protocolFactory makes the protocol
     * @param path the socket file
     * @param <P> the protocol type
     * @return the transport and protocol
     * @throws IOException if the connection fails
     */
    public static <P extends Protocol> Connection<P> createUnixConnection(Supplier<P> protocolFactory, Path path)
            throws IOException {
        return createUnixConnection(protocolFactory, path, null, null);
    }

    /**
     * Connects to a Unix-domain socket, with TLS if {@code tls} is given.
     *
     * @param protocolFactory makes the protocol
     * @param path the socket file
     * @param tls TLS settings or {@code null}
     * @param serverHostname the name to verify the certificate against (required with TLS unless
     *     its host name check is off)
     * @param <P> the protocol type
     * @return the transport and protocol
     * @throws IOException if the connection or handshake fails
     */
    public static <P extends Protocol> Connection<P> createUnixConnection(Supplier<P> protocolFactory, Path path,
            TlsOptions tls, String serverHostname) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(path, "path");
        EventLoopIo io = EventLoopIo.current();
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.configureBlocking(false);
            io.sockConnect(ch, UnixDomainSocketAddress.of(path));
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(ch);
            throw e;
        }
        return connected(io.loop(), ch, protocolFactory, tls, serverHostname, -1);
    }

    private static <P extends Protocol> Connection<P> connected(EventLoop loop, SocketChannel ch, Supplier<P> factory,
            TlsOptions tls, String serverHostname, int port) throws IOException {
        P protocol;
        SocketTransport raw;
        Future<Transport> waiter = loop.createFuture();
        try {
            protocol = Objects.requireNonNull(factory.get(), "the protocol factory returned null");
            if (tls == null) {
                raw = new SocketTransport(loop, ch, protocol, null);
                SocketTransport t = raw;
                raw.start(() -> {
                    if (!waiter.isDone()) {
                        waiter.setResult(t);
                    }
                });
            } else {
                TlsProtocol tp = new TlsProtocol(loop, protocol, tls, false, serverHostname, port, waiter, true);
                raw = new SocketTransport(loop, ch, tp, null);
                raw.start(null);
            }
        } catch (RuntimeException | Error e) {
            closeQuietly(ch);
            throw e;
        }
        Transport t;
        try {
            t = waiter.await();
        } catch (CancelledError e) {
            raw.abort();
            throw e;
        } catch (Throwable e) {
            raw.abort();
            throw e;
        }
        return new Connection<>(t, protocol);
    }

    /**
     * Upgrades an open connection to TLS; asyncio's {@code loop.start_tls}. Suspends until the
     * handshake completes. The old transport must not be used afterwards; {@code protocol} (usually the
     * one already connected) receives the decrypted data, and is <em>not</em> told
     * {@code connectionMade} again.
     *
     * @param transport a plain transport made by this package
     * @param protocol the protocol that receives the decrypted data
     * @param tls TLS settings
     * @param serverSide whether this end is the TLS server
     * @param serverHostname for clients: the name to verify the certificate against
     * @return the new, encrypted transport
     * @throws IOException if the handshake fails
     * @throws IllegalArgumentException if {@code transport} is not a plain transport of this package
     */
    public static Transport startTls(Transport transport, Protocol protocol, TlsOptions tls, boolean serverSide,
            String serverHostname) throws IOException {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(tls, "tls");
        if (!(transport instanceof SocketTransport raw)) {
            throw new IllegalArgumentException("startTls needs a plain socket transport made by Transports or Streams, not "
                    + transport);
        }
        if (raw.isClosing()) {
            throw new IllegalStateException("the transport is closing: " + raw);
        }
        EventLoop loop = raw.loop;
        Future<Transport> waiter = loop.createFuture();
        int port = raw.getExtraInfo("peername") instanceof InetSocketAddress isa ? isa.getPort() : -1;
        TlsProtocol tp = new TlsProtocol(loop, protocol, tls, serverSide, serverHostname, port, waiter, false);
        raw.pauseReading();
        raw.setProtocol(tp);
        loop.callSoon(() -> {
            tp.connectionMade(raw);
            raw.resumeReading();
        });
        try {
            return waiter.await();
        } catch (Throwable e) {
            raw.abort();
            throw e;
        }
    }

    /**
     * Sends {@code file} over {@code transport}; asyncio's {@code loop.sendfile}. Suspends until the
     * bytes are written. Everything written to the transport before is sent first. On a plain socket
     * transport the file then goes straight to the socket ({@link EventLoopIo#sockSendfile}, in the
     * kernel where the platform can) and {@link Transport#write} is refused until this returns, as in
     * asyncio. Any other transport (TLS) gets asyncio's fallback: the file is read in 16 KiB blocks off
     * the loop and written with {@code write}, waiting for the transport's buffer to drain between
     * blocks; this call then returns once the last block is written to the transport, which sends it on
     * as usual. Reading from the peer is paused meanwhile. As in asyncio, the file's position is left
     * after the last byte sent.
     *
     * @param transport an open transport made by this package or {@code Streams}
     * @param file the file, open for reading
     * @param offset where to start in the file, at least 0
     * @param count how many bytes to send, positive, or {@code null} for all up to the end
     * @return how many bytes were sent (fewer than {@code count} if the file ends first)
     * @throws IOException from the socket or the file, or if the connection is lost meanwhile
     * @throws IllegalArgumentException if {@code offset} is negative or {@code count} not positive
     * @throws IllegalStateException if the transport is closing, or a sendfile is already in progress
     *     on it; or if not called from a coroutine of the transport's loop
     * @throws dev.asyncio.CancelledError if the calling task is cancelled meanwhile
     */
    public static long sendfile(Transport transport, FileChannel file, long offset, Long count) throws IOException {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(file, "file");
        if (offset < 0 || (count != null && count <= 0)) {
            throw new IllegalArgumentException("offset must be non-negative and count positive or null (got offset="
                    + offset + ", count=" + count + ")");
        }
        if (transport.isClosing()) {
            throw new IllegalStateException("Transport is closing: " + transport);
        }
        EventLoop loop = Asyncio.getRunningLoop();
        if (!(transport instanceof SocketTransport raw) || raw.getProtocol() instanceof TlsProtocol) {
            return SendfileFallback.send(loop, transport, file, offset, count);
        }
        boolean resumeReading = raw.isReading();
        raw.pauseReading();
        try {
            SocketChannel socket = raw.beginSendfile();
            try {
                return EventLoopIo.of(raw.loop).sockSendfile(socket, file, offset, count);
            } finally {
                raw.endSendfile();
            }
        } finally {
            if (resumeReading && !raw.isClosing()) {
                raw.resumeReading();
            }
        }
    }

    // ------------------------------------------------------------------ servers

    /**
     * Listens on {@code host:port}; asyncio's {@code create_server} (serving starts at once).
     *
     * @param protocolFactory makes a protocol per accepted connection (on the loop's turn)
     * @param host the interface to bind, or {@code null} for all interfaces
     * @param port the port, 0 for any free one (see {@link Server#addresses()})
     * @return the server
     * @throws IOException if binding fails ({@link java.net.BindException} when in use)
     */
    public static Server createServer(Supplier<? extends Protocol> protocolFactory, String host, int port)
            throws IOException {
        return createServer(protocolFactory, host, port, null, Server.DEFAULT_BACKLOG);
    }

    /**
     * Listens on {@code host:port}, with TLS if {@code tls} is given.
     *
     * @param protocolFactory makes a protocol per accepted connection
     * @param host the interface to bind, or {@code null} for all
     * @param port the port, 0 for any
     * @param tls server TLS settings ({@link TlsOptions#server}) or {@code null}
     * @param backlog the listen backlog (asyncio's default is 100)
     * @return the server
     * @throws IOException if binding fails
     */
    public static Server createServer(Supplier<? extends Protocol> protocolFactory, String host, int port, TlsOptions tls,
            int backlog) throws IOException {
        if (backlog <= 0) {
            throw new IllegalArgumentException("backlog must be positive: " + backlog);
        }
        return createServer(protocolFactory, host, port, ServerOptions.DEFAULT.withTls(tls).withBacklog(backlog));
    }

    /**
     * Listens on {@code host:port} as {@code options} say: TLS, backlog, asyncio's {@code reuse_port},
     * {@code start_serving} and {@code keep_alive}, and how many event loops serve it. With {@code options.loops() > 1} the server is served by that
     * many loops, each on its own thread (asyncio's {@code reuse_port} model; see {@link ServerOptions}
     * and {@link Server} for the threading rules): {@code protocolFactory} is then called on the turn of
     * the loop that will own the connection, from several threads at once, and must be thread-safe. This
     * call then suspends until every loop serves, and must be made from a coroutine.
     *
     * @param protocolFactory makes a protocol per accepted connection, on the loop that owns it
     * @param host the interface to bind, or {@code null} for all
     * @param port the port, 0 for any (every loop listens on the same one)
     * @param options how to listen, e.g. {@code ServerOptions.DEFAULT.withLoops(2)}
     * @return the server, already serving on every loop (unless {@code options.startServing()} is off)
     * @throws IOException if binding fails on any loop (then nothing stays open)
     * @throws UnsupportedOperationException if {@code options.reusePort()} is set and the platform has
     *     no {@code SO_REUSEPORT}
     */
    public static Server createServer(Supplier<? extends Protocol> protocolFactory, String host, int port,
            ServerOptions options) throws IOException {
        return createServer(protocolFactory, host, port, options, kernelSpreadsReusePort());
    }

    /**
     * As the public overload; {@code listenOnEveryLoop} chooses how a multi-loop server shares its port:
     * one {@code SO_REUSEPORT} socket per loop, or one accepting loop that hands connections out.
     */
    static Server createServer(Supplier<? extends Protocol> protocolFactory, String host, int port,
            ServerOptions options, boolean listenOnEveryLoop) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        int backlog = options.backlog();
        boolean multiLoop = options.loops() > 1;
        boolean reusePort = options.reusePort() || (multiLoop && listenOnEveryLoop);
        EventLoopIo io = EventLoopIo.current();
        List<InetSocketAddress> binds = new ArrayList<>();
        if (host == null || host.isEmpty()) {
            binds.add(new InetSocketAddress(port));
        } else {
            Set<InetSocketAddress> unique = new LinkedHashSet<>(resolve(io, host, port));
            binds.addAll(unique);
        }
        List<ServerSocketChannel> channels = new ArrayList<>();
        try {
            for (InetSocketAddress a : binds) {
                ServerSocketChannel s = ServerSocketChannel.open(a.getAddress().isAnyLocalAddress() && host == null
                        ? StandardProtocolFamily.INET6 : family(a.getAddress()));
                channels.add(s);
                listen(s, a, backlog, reusePort);
            }
        } catch (IOException | RuntimeException e) {
            if (host == null && channels.size() == 1 && e instanceof IOException) {
                // No IPv6 on this machine: fall back to IPv4's wildcard.
                closeQuietly(channels.get(0));
                channels.clear();
                ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.INET);
                channels.add(s);
                listen(s, new InetSocketAddress(port), backlog, reusePort);
            } else {
                channels.forEach(Transports::closeQuietly);
                throw e;
            }
        }
        return serve(io, channels, protocolFactory, options, listenOnEveryLoop);
    }

    /**
     * Serves a socket bound beforehand; asyncio's {@code create_server(sock=)}. The channel is switched to
     * non-blocking mode; from then on the server owns it (closing the server closes it). A Java channel
     * listens from its {@code bind}, so {@code options.backlog()} is only used as the most connections
     * accepted per readiness event, as asyncio does, and {@code options.reusePort()} is the caller's
     * business when binding. With {@code options.loops() > 1} this loop accepts on the socket and hands
     * the connections to the loops in turn.
     *
     * @param protocolFactory makes a protocol per accepted connection
     * @param sock a bound server socket channel (TCP or Unix-domain)
     * @param options TLS, loops, start serving, keep-alive
     * @return the server, serving unless {@code options.startServing()} is off
     * @throws IllegalArgumentException if {@code sock} is not bound, or is closed
     * @throws IOException if configuring the channel fails, or an extra loop fails to start
     * @throws IllegalStateException if not called from a coroutine
     */
    public static Server createServer(Supplier<? extends Protocol> protocolFactory, ServerSocketChannel sock,
            ServerOptions options) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(sock, "sock");
        Objects.requireNonNull(options, "options");
        if (!sock.isOpen() || sock.getLocalAddress() == null) {
            throw new IllegalArgumentException("sock must be an open, bound server socket channel (bind it first, or "
                    + "pass host and port instead): " + sock);
        }
        EventLoopIo io = EventLoopIo.current();
        sock.configureBlocking(false);
        return serve(io, List.of(sock), protocolFactory, options, false);
    }

    private static Server serve(EventLoopIo io, List<ServerSocketChannel> channels,
            Supplier<? extends Protocol> protocolFactory, ServerOptions options, boolean listenOnEveryLoop)
            throws IOException {
        Server server;
        try {
            server = new Server(io.loop(), channels, protocolFactory, options.tls(), options.backlog(), List.of());
        } catch (IOException | RuntimeException e) {
            channels.forEach(Transports::closeQuietly);
            throw e;
        }
        server.keepAlive = options.keepAlive();
        if (options.loops() > 1) {
            server.startLoops(options.loops() - 1, listenOnEveryLoop);
        }
        if (options.startServing()) {
            server.startServing();
        }
        return server;
    }

    private static void listen(ServerSocketChannel s, InetSocketAddress address, int backlog, boolean reusePort)
            throws IOException {
        s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        if (reusePort) {
            reusePort(s);
        }
        s.configureBlocking(false);
        s.bind(address, backlog);
    }

    private static void reusePort(java.nio.channels.NetworkChannel channel) throws IOException {
        if (!channel.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
            // asyncio: ValueError("reuse_port not supported by socket module")
            throw new UnsupportedOperationException("reusePort: SO_REUSEPORT is not supported on this platform");
        }
        channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
    }

    /**
     * Whether several sockets bound with {@code SO_REUSEPORT} share the incoming connections: Linux
     * balances them over the sockets; BSD and macOS give them all to one socket, and Windows has no
     * such option, so there a multi-loop server accepts on one loop and hands connections out.
     */
    private static boolean kernelSpreadsReusePort() {
        return System.getProperty("os.name", "").startsWith("Linux");
    }

    /**
     * Listens on a Unix-domain socket; asyncio's {@code create_unix_server}. A stale socket file at
     * {@code path} is removed first, and the file is removed when the server closes (asyncio 3.13's
     * {@code cleanup_socket=True}).
     *
     * @param protocolFactory makes a protocol per accepted connection
     * @param path the socket file
     * @return the server
     * @throws IOException if binding fails (e.g. {@code path} exists and is not a socket)
     */
    public static Server createUnixServer(Supplier<? extends Protocol> protocolFactory, Path path) throws IOException {
        return createUnixServer(protocolFactory, path, null);
    }

    /**
     * Listens on a Unix-domain socket, with TLS if {@code tls} is given.
     *
     * @param protocolFactory makes a protocol per accepted connection
     * @param path the socket file
     * @param tls server TLS settings or {@code null}
     * @return the server
     * @throws IOException if binding fails
     */
    public static Server createUnixServer(Supplier<? extends Protocol> protocolFactory, Path path, TlsOptions tls)
            throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(path, "path");
        EventLoopIo io = EventLoopIo.current();
        if (isSocketFile(path)) {
            Files.deleteIfExists(path);
        }
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            s.configureBlocking(false);
            s.bind(UnixDomainSocketAddress.of(path), Server.DEFAULT_BACKLOG);
        } catch (IOException | RuntimeException e) {
            closeQuietly(s);
            throw e;
        }
        Server server = new Server(io.loop(), List.of(s), protocolFactory, tls, Server.DEFAULT_BACKLOG, List.of(path));
        server.startServing();
        return server;
    }

    private static boolean isSocketFile(Path path) {
        try {
            Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return mode instanceof Integer m && (m & 0170000) == 0140000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ datagrams

    /**
     * Opens a datagram (UDP) endpoint; asyncio's {@code create_datagram_endpoint}.
     *
     * @param protocolFactory makes the protocol
     * @param localAddress where to bind, or {@code null} for an ephemeral port (then
     *     {@code remoteAddress} is required)
     * @param remoteAddress the peer to connect to, or {@code null} for an unconnected endpoint
     * @param <P> the protocol type
     * @return the transport and protocol, after {@link DatagramProtocol#connectionMade} ran
     * @throws IOException if binding or connecting fails
     */
    public static <P extends DatagramProtocol> DatagramEndpoint<P> createDatagramEndpoint(Supplier<P> protocolFactory,
            InetSocketAddress localAddress, InetSocketAddress remoteAddress) throws IOException {
        return createDatagramEndpoint(protocolFactory, localAddress, remoteAddress, DatagramOptions.DEFAULT);
    }

    /**
     * Opens a datagram (UDP) endpoint with asyncio's {@code reuse_port=} and {@code allow_broadcast=}.
     *
     * @param protocolFactory makes the protocol
     * @param localAddress where to bind, or {@code null} for an ephemeral port
     * @param remoteAddress the peer to connect to, or {@code null} for an unconnected endpoint
     * @param options the socket options
     * @param <P> the protocol type
     * @return the transport and protocol, after {@link DatagramProtocol#connectionMade} ran
     * @throws IOException if binding or connecting fails
     * @throws UnsupportedOperationException if {@code options.reusePort()} is set and the platform has
     *     no {@code SO_REUSEPORT}
     */
    public static <P extends DatagramProtocol> DatagramEndpoint<P> createDatagramEndpoint(Supplier<P> protocolFactory,
            InetSocketAddress localAddress, InetSocketAddress remoteAddress, DatagramOptions options) throws IOException {
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        Objects.requireNonNull(options, "options");
        if (localAddress == null && remoteAddress == null) {
            throw new IllegalArgumentException("unexpected address family: give localAddress or remoteAddress");
        }
        EventLoopIo io = EventLoopIo.current();
        if (localAddress != null && localAddress.isUnresolved()) {
            localAddress = resolve(io, localAddress.getHostString(), localAddress.getPort()).get(0);
        }
        if (remoteAddress != null && remoteAddress.isUnresolved()) {
            remoteAddress = resolve(io, remoteAddress.getHostString(), remoteAddress.getPort()).get(0);
        }
        InetAddress any = (localAddress != null ? localAddress : remoteAddress).getAddress();
        DatagramChannel ch = DatagramChannel.open(family(any));
        P protocol;
        DatagramChannelTransport t;
        try {
            ch.configureBlocking(false);
            if (options.reusePort()) {
                reusePort(ch);
            }
            if (options.allowBroadcast()) {
                ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            }
            if (localAddress != null) {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, false);
                ch.bind(localAddress);
            }
            if (remoteAddress != null) {
                ch.connect(remoteAddress);
            }
            protocol = Objects.requireNonNull(protocolFactory.get(), "the protocol factory returned null");
            t = new DatagramChannelTransport(io.loop(), ch, protocol, remoteAddress);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
        Future<Void> started = io.loop().createFuture();
        t.start(() -> started.setResult(null));
        try {
            started.await();
        } catch (Throwable e) {
            t.abort();
            throw e;
        }
        return new DatagramEndpoint<>(t, protocol);
    }

    // ------------------------------------------------------------------ helpers

    private static List<InetSocketAddress> resolve(EventLoopIo io, String host, int port) throws IOException {
        if (host == null || host.isEmpty()) {
            return List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
        if (isLiteral(host)) {
            // A literal needs no resolver: InetAddress parses it without a lookup.
            return List.of(new InetSocketAddress(InetAddress.getByName(host), port));
        }
        return io.getaddrinfo(host, port);
    }

    private static List<InetSocketAddress> resolveLocal(EventLoopIo io, InetSocketAddress local) throws IOException {
        if (local == null) {
            return List.of();
        }
        if (local.isUnresolved()) {
            return io.getaddrinfo(local.getHostString(), local.getPort());
        }
        return List.of(local);
    }

    private static boolean isLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    private static ProtocolFamily family(InetAddress a) {
        return a instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

}
