package dev.asyncio.transports;

import java.net.SocketAddress;

/**
 * asyncio's {@code DatagramTransport}: a UDP (or other datagram) endpoint. Datagrams that cannot be sent
 * at once are queued, with the same water marks and {@link DatagramProtocol#pauseWriting()} as stream
 * transports. All methods must be called on the loop's turn.
 */
public interface DatagramTransport {
    /**
     * Sends one datagram without blocking; asyncio's {@code sendto}.
     *
     * @param data the payload (copied if it must wait)
     * @param address the destination, or {@code null} for the connected peer
     * @throws IllegalArgumentException if {@code address} is null on an unconnected endpoint, or differs
     *     from the peer of a connected one
     */
    void sendto(byte[] data, SocketAddress address);

    /** Closes after sending what is queued; the protocol's {@code connectionLost(null)} follows. */
    void close();

    /** Closes at once, dropping what is queued. */
    void abort();

    /** @return whether closing */
    boolean isClosing();

    /** @return the bytes queued */
    int getWriteBufferSize();

    /**
     * @param name {@code "peername"}, {@code "sockname"} or {@code "socket"}
     * @return the value or {@code null}
     */
    Object getExtraInfo(String name);
}
