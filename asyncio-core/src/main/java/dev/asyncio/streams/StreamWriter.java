package dev.asyncio.streams;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.engine.Exceptions;
import dev.asyncio.transports.TlsOptions;
import dev.asyncio.transports.Transport;
import dev.asyncio.transports.Transports;
import java.io.IOException;
import java.util.List;

/**
 * asyncio's {@code StreamWriter}: writes to a connection's transport, with {@link #drain()} as the
 * backpressure point.
 *
 * <p><b>Flow control.</b> {@link #write} and {@link #writelines} never block: they hand the bytes to
 * the transport, which sends what the socket takes and buffers the rest. Call {@link #drain()} after
 * writing: it suspends while the buffer is above the high water mark (64 KiB by default) until it falls
 * to the low one (16 KiB). A writer that drains after each write therefore holds at most the high water
 * mark plus one write in memory, however slow the peer.
 *
 * <p><b>Errors.</b> A connection that was reset or lost makes {@code drain()} throw (the reader's
 * error, else {@link java.net.SocketException} "Connection lost"), never hang.
 *
 * <p><b>Threads.</b> All methods must be called on the loop's turn; {@link #drain()},
 * {@link #waitClosed()} and {@link #startTls} suspend and must be called from a coroutine.
 */
public final class StreamWriter {
    private Transport transport;
    private final StreamReaderProtocol protocol;
    private final StreamReader reader;
    private final EventLoop loop;

    StreamWriter(Transport transport, StreamReaderProtocol protocol, StreamReader reader, EventLoop loop) {
        this.transport = transport;
        this.protocol = protocol;
        this.reader = reader;
        this.loop = loop;
    }

    /** @return the underlying transport */
    public Transport transport() {
        return transport;
    }

    /**
     * Writes {@code data} without blocking; follow with {@link #drain()}.
     *
     * @param data the bytes (the writer keeps no reference after returning)
     * @throws IllegalStateException after {@link #writeEof()}
     */
    public void write(byte[] data) {
        transport.write(data);
    }

    /**
     * Writes several buffers, sent together where possible; follow with {@link #drain()}.
     *
     * @param data the buffers, in order
     */
    public void writelines(List<byte[]> data) {
        transport.writelines(data);
    }

    /** Closes the writing side after the buffered data (a TCP half-close); reading goes on. */
    public void writeEof() {
        transport.writeEof();
    }

    /** @return whether {@link #writeEof()} is supported (not over TLS) */
    public boolean canWriteEof() {
        return transport.canWriteEof();
    }

    /** Closes the connection after sending what is buffered; see {@link #waitClosed()}. */
    public void close() {
        transport.close();
    }

    /** @return whether the connection is closing or closed */
    public boolean isClosing() {
        return transport.isClosing();
    }

    /**
     * Suspends until the connection is closed; asyncio's {@code wait_closed}.
     *
     * @throws IOException the error the connection was lost with, if any
     */
    public void waitClosed() throws IOException {
        protocol.closeWaiter().await();
    }

    /**
     * @param name a key of {@link Transport#getExtraInfo(String)}, e.g. {@code "peername"}
     * @return the value, or {@code null}
     */
    public Object getExtraInfo(String name) {
        return transport.getExtraInfo(name);
    }

    /**
     * @param name a key of {@link Transport#getExtraInfo(String)}
     * @param defaultValue what to return for an unknown key
     * @return the value, or {@code defaultValue}
     */
    public Object getExtraInfo(String name, Object defaultValue) {
        return transport.getExtraInfo(name, defaultValue);
    }

    /**
     * Waits until it is appropriate to write more: returns at once while the transport's buffer is
     * under the high water mark, else suspends until it drains to the low one; asyncio's {@code drain}.
     *
     * @throws IOException the connection's error (e.g. {@link java.net.SocketException} after a reset),
     *     or "Connection lost" if it is closed
     * @throws dev.asyncio.CancelledError if the calling task is cancelled meanwhile
     */
    public void drain() throws IOException {
        Throwable e = reader != null ? reader.exception() : null;
        if (e != null) {
            throw Exceptions.sneaky(e);
        }
        if (transport.isClosing()) {
            // Let connectionLost() run, so its error (if any) is what the caller sees.
            Asyncio.sleep(0);
        }
        protocol.drainHelper();
    }

    /**
     * Upgrades the connection to TLS; asyncio's {@code start_tls}. Drains first; this writer and its
     * reader then carry encrypted traffic. A server-side writer (from {@link Streams#startServer}) acts
     * as the TLS server.
     *
     * @param tls the TLS settings
     * @param serverHostname for clients: the name to verify the certificate against (required unless the
     *     host name check is off)
     * @throws IOException if the handshake fails
     */
    public void startTls(TlsOptions tls, String serverHostname) throws IOException {
        drain();
        Transport t = Transports.startTls(transport, protocol, tls, protocol.isServerSide(), serverHostname);
        transport = t;
        protocol.replaceTransport(t);
    }

    /** @return the loop this writer belongs to */
    public EventLoop getLoop() {
        return loop;
    }

    @Override
    public String toString() {
        return "<StreamWriter transport=" + transport + (reader != null ? " reader=" + reader : "") + ">";
    }
}
