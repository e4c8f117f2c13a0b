package dev.asyncio.streams;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.transports.Connection;
import dev.asyncio.transports.ConnectionOptions;
import dev.asyncio.transports.Server;
import dev.asyncio.transports.ServerOptions;
import dev.asyncio.transports.TlsOptions;
import dev.asyncio.transports.Transports;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * asyncio's stream functions: {@code open_connection}, {@code start_server} and their Unix-domain
 * variants. Each suspends the calling coroutine and must be called from one (else
 * {@link IllegalStateException}); the streams live on that coroutine's loop.
 *
 * <pre>{@code
 * Server server = Streams.startServer((reader, writer) -> {
 *     byte[] line;
 *     while ((line = reader.readline()).length > 0) {
 *         writer.write(line);
 *         writer.drain();
 *     }
 *     writer.close();
 * }, "127.0.0.1", 8888);
 * StreamConnection c = Streams.openConnection("127.0.0.1", 8888);
 * c.writer().write("hello\n".getBytes());
 * byte[] echoed = c.reader().readline();
 * }</pre>
 */
public final class Streams {
    private Streams() {
    }

    /**
     * Connects to {@code host:port}; asyncio's {@code open_connection}.
     *
     * @param host host name or address
     * @param port port
     * @return the reader and writer
     * @throws IOException if the connection fails ({@link java.net.ConnectException} when refused)
     */
    public static StreamConnection openConnection(String host, int port) throws IOException {
        return openConnection(host, port, null, null, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Connects to {@code host:port} over TLS, verifying the certificate for {@code host}.
     *
     * @param host host name or address
     * @param port port
     * @param tls TLS settings, e.g. {@link TlsOptions#client()}
     * @return the reader and writer
     * @throws IOException if the connection or the TLS handshake fails
     */
    public static StreamConnection openConnection(String host, int port, TlsOptions tls) throws IOException {
        return openConnection(host, port, tls, null, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Connects to {@code host:port}, with every option.
     *
     * @param host host name or address
     * @param port port
     * @param tls TLS settings or {@code null}
     * @param serverHostname the name to verify the certificate against and send as SNI, {@code null} for
     *     {@code host}, or {@code ""} for no host-name check and no SNI (asyncio's {@code server_hostname=''};
     *     the certificate chain is still verified)
     * @param limit the reader's buffer limit, positive
     * @return the reader and writer
     * @throws IOException if the connection or the TLS handshake fails
     */
    public static StreamConnection openConnection(String host, int port, TlsOptions tls, String serverHostname, int limit)
            throws IOException {
        return openConnection(host, port, ConnectionOptions.DEFAULT.withTls(tls, serverHostname), limit);
    }

    /**
     * Connects to {@code host:port} as {@code options} say; asyncio's {@code open_connection} with
     * {@code ssl=}, {@code server_hostname=}, {@code happy_eyeballs_delay=}, {@code interleave=},
     * {@code local_addr=}, {@code all_errors=} and {@code limit=}. See
     * {@link Transports#createConnection(java.util.function.Supplier, String, int, ConnectionOptions)}.
     *
     * @param host host name or address
     * @param port port
     * @param options how to connect
     * @param limit the reader's buffer limit, positive ({@link StreamReader#DEFAULT_LIMIT})
     * @return the reader and writer
     * @throws IOException if no address connects, or the TLS handshake fails
     * @throws dev.asyncio.TaskGroupException with {@link ConnectionOptions#allErrors()}, when no address
     *     connects
     */
    public static StreamConnection openConnection(String host, int port, ConnectionOptions options, int limit)
            throws IOException {
        EventLoop loop = Asyncio.getRunningLoop();
        StreamReader reader = new StreamReader(limit, loop);
        Connection<StreamReaderProtocol> c = Transports.createConnection(
                () -> new StreamReaderProtocol(loop, reader, null), host, port, options);
        return new StreamConnection(reader, new StreamWriter(c.transport(), c.protocol(), reader, loop));
    }

    /**
     * Wraps a socket connected beforehand in a reader and writer; asyncio's {@code open_connection(sock=)}.
     * See {@link Transports#createConnection(java.util.function.Supplier, SocketChannel, TlsOptions, String)}.
     *
     * @param sock a connected socket channel; the writer owns it from now on
     * @param tls TLS settings or {@code null}
     * @param serverHostname with TLS: the name to verify the certificate against ({@code ""} for none)
     * @return the reader and writer
     * @throws IllegalArgumentException if {@code sock} is not connected
     * @throws IOException if the TLS handshake fails
     */
    public static StreamConnection openConnection(SocketChannel sock, TlsOptions tls, String serverHostname)
            throws IOException {
        EventLoop loop = Asyncio.getRunningLoop();
        StreamReader reader = new StreamReader(StreamReader.DEFAULT_LIMIT, loop);
        Connection<StreamReaderProtocol> c = Transports.createConnection(
                () -> new StreamReaderProtocol(loop, reader, null), sock, tls, serverHostname);
        return new StreamConnection(reader, new StreamWriter(c.transport(), c.protocol(), reader, loop));
    }

    /**
     * Connects to a Unix-domain socket; asyncio's {@code open_unix_connection}.
     *
     * @param path the socket file
     * @return the reader and writer
     * @throws IOException if the connection fails
     */
    public static StreamConnection openUnixConnection(Path path) throws IOException {
        EventLoop loop = Asyncio.getRunningLoop();
        StreamReader reader = new StreamReader(StreamReader.DEFAULT_LIMIT, loop);
        Connection<StreamReaderProtocol> c = Transports.createUnixConnection(
                () -> new StreamReaderProtocol(loop, reader, null), path);
        return new StreamConnection(reader, new StreamWriter(c.transport(), c.protocol(), reader, loop));
    }

    /**
     * Listens on {@code host:port} and runs {@code handler} as a new task for each connection;
     * asyncio's {@code start_server}.
     *
     * @param handler the coroutine that serves a connection
     * @param host the interface, or {@code null} for all
     * @param port the port, 0 for any free one ({@link Server#addresses()} tells which)
     * @return the server, already serving
     * @throws IOException if binding fails
     */
    public static Server startServer(StreamHandler handler, String host, int port) throws IOException {
        return startServer(handler, host, port, null, StreamReader.DEFAULT_LIMIT, 100);
    }

    /**
     * Listens on {@code host:port}, with every option.
     *
     * @param handler the coroutine that serves a connection
     * @param host the interface, or {@code null} for all
     * @param port the port
     * @param tls server TLS settings or {@code null}
     * @param limit the readers' buffer limit, positive
     * @param backlog the listen backlog (asyncio's default is 100); raise it for bursts of connections
     * @return the server
     * @throws IOException if binding fails
     * @throws IllegalArgumentException if {@code limit} or {@code backlog} is not positive
     */
    public static Server startServer(StreamHandler handler, String host, int port, TlsOptions tls, int limit, int backlog)
            throws IOException {
        if (backlog <= 0) {
            throw new IllegalArgumentException("backlog must be positive: " + backlog);
        }
        return startServer(handler, host, port, ServerOptions.DEFAULT.withTls(tls).withBacklog(backlog), limit);
    }

    /**
     * Listens on {@code host:port} as {@code options} say; with {@code options.withLoops(n)}, n event
     * loops serve it, asyncio's {@code start_server(..., reuse_port=True)} in n processes or threads at
     * once (see {@link ServerOptions}). Each connection's {@code handler} task then runs on the loop that
     * owns the connection, on that loop's thread, with its reader and writer: connections on different
     * loops are served in parallel, so state the handlers share across connections needs thread-safe
     * means. The {@link Server} itself stays on the calling loop; closing it closes every loop's
     * listening socket.
     *
     * <pre>{@code
     * Server server = Streams.startServer(handler, "0.0.0.0", 8888,
     *         ServerOptions.DEFAULT.withLoops(Runtime.getRuntime().availableProcessors()));
     * server.serveForever();
     * }</pre>
     *
     * @param handler the coroutine that serves a connection
     * @param host the interface, or {@code null} for all
     * @param port the port, 0 for any free one (the same on every loop)
     * @param options TLS, backlog, {@code reusePort} and the number of loops
     * @return the server, serving on every loop
     * @throws IOException if binding fails
     */
    public static Server startServer(StreamHandler handler, String host, int port, ServerOptions options)
            throws IOException {
        return startServer(handler, host, port, options, StreamReader.DEFAULT_LIMIT);
    }

    private static Server startServer(StreamHandler handler, String host, int port, ServerOptions options, int limit)
            throws IOException {
        return Transports.createServer(protocolFactory(handler, limit), host, port, options);
    }

    /**
     * Serves a socket bound beforehand, running {@code handler} as a new task for each connection;
     * asyncio's {@code start_server(client_connected_cb, sock=)}. See
     * {@link Transports#createServer(Supplier, ServerSocketChannel, ServerOptions)}.
     *
     * @param handler the coroutine that serves a connection
     * @param sock a bound server socket channel (TCP or Unix-domain); the server owns it from now on
     * @param options TLS, loops, start serving, keep-alive
     * @return the server
     * @throws IllegalArgumentException if {@code sock} is not bound
     * @throws IOException if configuring the channel fails
     */
    public static Server startServer(StreamHandler handler, ServerSocketChannel sock, ServerOptions options)
            throws IOException {
        return Transports.createServer(protocolFactory(handler, StreamReader.DEFAULT_LIMIT), sock, options);
    }

    /** Makes a connection's reader and protocol; called on the turn of the loop that owns the connection. */
    private static Supplier<StreamReaderProtocol> protocolFactory(StreamHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        if (limit <= 0) {
            // Checked here, not when the first connection's reader is made: that would bind, then drop
            // every connection with "Error in the protocol factory".
            throw new IllegalArgumentException("limit must be positive: " + limit + " (StreamReader.DEFAULT_LIMIT is 64 KiB)");
        }
        return () -> {
            EventLoop loop = Asyncio.getRunningLoop();
            return new StreamReaderProtocol(loop, new StreamReader(limit, loop), handler);
        };
    }

    /**
     * Listens on a Unix-domain socket; asyncio's {@code start_unix_server}.
     *
     * @param handler the coroutine that serves a connection
     * @param path the socket file (a stale one is replaced; removed on close)
     * @return the server
     * @throws IOException if binding fails
     */
    public static Server startUnixServer(StreamHandler handler, Path path) throws IOException {
        Objects.requireNonNull(handler, "handler");
        EventLoop loop = Asyncio.getRunningLoop();
        return Transports.createUnixServer(
                () -> new StreamReaderProtocol(loop, new StreamReader(StreamReader.DEFAULT_LIMIT, loop), handler), path);
    }
}
