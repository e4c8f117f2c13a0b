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
     * Opens a TCP connection and connects a protocol to it; asyncio's {@code create_connection}. Each
     * resolved address is tried in turn; the last failure is thrown if none connects.
     *
     * @param protocolFactory makes the protocol (called once, on success)
     * @param host the host name or address
     * @param port the port
     * @param <P> the protocol type
     * @return the transport and protocol, after {@link Protocol#connectionMade} ran
     * @throws IOException if no address connects ({@link java.net.ConnectException} when refused) or
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
        Objects.requireNonNull(protocolFactory, "protocolFactory");
        if (serverHostname != null && tls == null) {
            throw new IllegalArgumentException("serverHostname is only meaningful with tls");
        }
        EventLoopIo io = EventLoopIo.current();
        List<InetSocketAddress> addresses = resolve(io, host, port);
        IOException last = null;
        for (InetSocketAddress a : addresses) {
            SocketChannel ch = SocketChannel.open(family(a.getAddress()));
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                io.sockConnect(ch, a);
            } catch (IOException e) {
                closeQuietly(ch);
                last = e;
                continue;
            } catch (RuntimeException | Error e) {
                closeQuietly(ch);
                throw e;
            }
            return connected(io.loop(), ch, protocolFactory, tls, serverHostname != null ? serverHostname : host, port);
        }
        throw last != null ? last : new IOException("no address to connect to for " + host);
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
     * and how many event loops serve it. With {@code options.loops() > 1} the server is served by that
     * many loops, each on its own thread (asyncio's {@code reuse_port} model; see {@link ServerOptions}
     * and {@link Server} for the threading rules): {@code protocolFactory} is then called on the turn of
     * the loop that will own the connection, from several threads at once, and must be thread-safe. This
     * call then suspends until every loop serves, and must be made from a coroutine.
     *
     * @param protocolFactory makes a protocol per accepted connection, on the loop that owns it
     * @param host the interface to bind, or {@code null} for all
     * @param port the port, 0 for any (every loop listens on the same one)
     * @param options how to listen, e.g. {@code ServerOptions.DEFAULT.withLoops(2)}
     * @return the server, already serving on every loop
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
        Server server = new Server(io.loop(), channels, protocolFactory, options.tls(), backlog, List.of());
        if (multiLoop) {
            server.startLoops(options.loops() - 1, listenOnEveryLoop);
        }
        server.startServing();
        return server;
    }

    private static void listen(ServerSocketChannel s, InetSocketAddress address, int backlog, boolean reusePort)
            throws IOException {
        s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        if (reusePort) {
            if (!s.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                // asyncio: ValueError("reuse_port not supported by socket module")
                throw new UnsupportedOperationException("reusePort: SO_REUSEPORT is not supported on this platform");
            }
            s.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        }
        s.configureBlocking(false);
        s.bind(address, backlog);
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
        Objects.requireNonNull(protocolFactory, "protocolFactory");
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
