package dev.asyncio.transports;

/**
 * asyncio's streaming {@code Protocol}: the callbacks a {@link Transport} calls as data and events
 * arrive. Every method runs on the loop's turn, as a callback: it must not block and cannot suspend
 * (start a task with {@code createTask} for work that awaits). All methods have empty defaults.
 *
 * <p>Call order, as in asyncio: {@link #connectionMade} once, then {@link #dataReceived} any number
 * of times, then at most one {@link #eofReceived}, then {@link #connectionLost} once.
 * {@link #pauseWriting}/{@link #resumeWriting} come in pairs while the transport's write buffer
 * crosses its high and low water marks.
 */
public interface Protocol {
    /**
     * The connection is up.
     *
     * @param transport the transport to write to and to close
     */
    default void connectionMade(Transport transport) {
    }

    /**
     * Bytes arrived.
     *
     * @param data a fresh array the protocol may keep
     */
    default void dataReceived(byte[] data) {
    }

    /**
     * The peer closed its writing side (half-close).
     *
     * @return {@code true} to keep the connection open for writing (the protocol closes it later);
     *     {@code false} to let the transport close itself, asyncio's default
     */
    default boolean eofReceived() {
        return false;
    }

    /**
     * The connection is closed.
     *
     * @param exception {@code null} after a regular close or EOF; else why it was lost (e.g. a
     *     {@link java.net.SocketException} "Connection reset")
     */
    default void connectionLost(Exception exception) {
    }

    /** The transport's write buffer went over the high water mark: stop writing until {@link #resumeWriting}. */
    default void pauseWriting() {
    }

    /** The transport's write buffer drained to the low water mark. */
    default void resumeWriting() {
    }
}
