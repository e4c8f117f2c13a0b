package dev.asyncio.transports;

import java.util.List;

/**
 * asyncio's streaming {@code Transport} (a read and write transport): a connection that the loop reads
 * into its {@link Protocol} and that buffers what the protocol writes.
 *
 * <p><b>Flow control</b>, as asyncio's: {@link #write} never blocks and never fails for a full socket;
 * what cannot be sent at once is copied into the write buffer and sent when the socket is writable.
 * When the buffer goes above the high water mark (64 KiB by default) the protocol's
 * {@link Protocol#pauseWriting()} is called, and {@link Protocol#resumeWriting()} when it falls to the
 * low water mark (16 KiB by default). {@link #pauseReading()} stops delivering data (the kernel's
 * receive buffer then fills and the peer's writes stall).
 *
 * <p><b>Threads.</b> All methods must be called on the loop's turn and throw
 * {@link IllegalStateException} elsewhere (a transport is not thread-safe, as in asyncio).
 */
public interface Transport {
    /** asyncio's default high water mark, 64 KiB. */
    int DEFAULT_HIGH_WATER = 64 * 1024;
    /** asyncio's default low water mark, 16 KiB (a quarter of the high one). */
    int DEFAULT_LOW_WATER = DEFAULT_HIGH_WATER / 4;

    /**
     * Queues {@code data} for sending without blocking.
     *
     * @param data the bytes; the transport keeps no reference to the array after returning
     * @throws IllegalStateException after {@link #writeEof()}, or off the loop's turn
     */
    void write(byte[] data);

    /**
     * Queues several buffers, sent with one gathering write where possible; asyncio's {@code writelines}.
     *
     * @param data the buffers, in order
     * @throws IllegalStateException after {@link #writeEof()}, or off the loop's turn
     */
    void writelines(List<byte[]> data);

    /** Closes the writing side once the buffer is flushed (a half-close); reading goes on. */
    void writeEof();

    /** @return whether {@link #writeEof()} is supported (not on TLS transports) */
    boolean canWriteEof();

    /**
     * Closes the transport: stops reading now, sends what is buffered, then calls the protocol's
     * {@link Protocol#connectionLost} with {@code null}. Idempotent.
     */
    void close();

    /** Closes at once, dropping buffered data; the protocol's {@code connectionLost(null)} follows. */
    void abort();

    /** @return whether {@link #close()} or {@link #abort()} was called or the connection was lost */
    boolean isClosing();

    /** Stops delivering received data to the protocol until {@link #resumeReading()}. Idempotent. */
    void pauseReading();

    /** Resumes delivering data. Idempotent. */
    void resumeReading();

    /** @return whether the transport is delivering data (not paused, not closing) */
    boolean isReading();

    /** @return the bytes waiting in the write buffer */
    int getWriteBufferSize();

    /**
     * Sets the water marks of the write buffer; asyncio's {@code set_write_buffer_limits(high, low)}.
     * asyncio's {@code None} ("the default") has no {@code int} spelling here: a negative mark is an error,
     * not a default. Leave {@code low} out ({@link #setWriteBufferLimits(int)}) for asyncio's
     * {@code high // 4}, and pass {@link #DEFAULT_HIGH_WATER} for its default high mark.
     *
     * @param high the high water mark in bytes
     * @param low the low water mark in bytes
     * @throws IllegalArgumentException unless {@code 0 <= low <= high}
     */
    void setWriteBufferLimits(int high, int low);

    /**
     * Sets the high water mark and the low one to a quarter of it; asyncio's
     * {@code set_write_buffer_limits(high)}.
     *
     * @param high the high water mark in bytes
     * @throws IllegalArgumentException if {@code high < 0}
     */
    default void setWriteBufferLimits(int high) {
        setWriteBufferLimits(high, high / 4);
    }

    /** @return the current water marks */
    WriteBufferLimits getWriteBufferLimits();

    /**
     * Extra information about the connection; asyncio's {@code get_extra_info}. Keys: {@code "peername"}
     * and {@code "sockname"} (a {@link java.net.SocketAddress}), {@code "socket"} (the
     * {@link java.nio.channels.SocketChannel}); on TLS transports also {@code "sslcontext"},
     * {@code "ssl_object"} (the {@link javax.net.ssl.SSLEngine}), {@code "peercert"} (the peer's
     * {@link java.security.cert.Certificate} array or {@code null}), {@code "cipher"} (the suite name)
     * and {@code "tls_version"}.
     *
     * @param name the key
     * @return the value, or {@code null} if unknown
     */
    Object getExtraInfo(String name);

    /**
     * @param name the key
     * @param defaultValue returned when the key is unknown
     * @return the value of {@link #getExtraInfo(String)}, or {@code defaultValue}
     */
    default Object getExtraInfo(String name, Object defaultValue) {
        Object v = getExtraInfo(name);
        return v != null ? v : defaultValue;
    }

    /**
     * Switches the protocol that receives data and events.
     *
     * @param protocol the new protocol
     */
    void setProtocol(Protocol protocol);

    /** @return the current protocol */
    Protocol getProtocol();

    /**
     * A transport's write-buffer water marks.
     *
     * @param low the low water mark in bytes
     * @param high the high water mark in bytes
     */
    record WriteBufferLimits(int low, int high) {
    }
}
