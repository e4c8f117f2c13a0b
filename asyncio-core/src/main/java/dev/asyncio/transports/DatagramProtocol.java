package dev.asyncio.transports;

import java.net.SocketAddress;

/**
 * asyncio's {@code DatagramProtocol}: callbacks of a {@link DatagramTransport}, on the loop's turn.
 * All methods have empty defaults.
 */
public interface DatagramProtocol {
    /**
     * The endpoint is ready.
     *
     * @param transport the transport to send with
     */
    default void connectionMade(DatagramTransport transport) {
    }

    /**
     * A datagram arrived.
     *
     * @param data its bytes (a fresh array)
     * @param address the sender
     */
    default void datagramReceived(byte[] data, SocketAddress address) {
    }

    /**
     * A send or receive failed without closing the endpoint (e.g. an ICMP "port unreachable" on a
     * connected endpoint, {@link java.net.PortUnreachableException}).
     *
     * @param exception what failed
     */
    default void errorReceived(Exception exception) {
    }

    /**
     * The endpoint is closed.
     *
     * @param exception {@code null} after a regular close, else why
     */
    default void connectionLost(Exception exception) {
    }

    /** The send buffer went over the high water mark. */
    default void pauseWriting() {
    }

    /** The send buffer drained to the low water mark. */
    default void resumeWriting() {
    }
}
