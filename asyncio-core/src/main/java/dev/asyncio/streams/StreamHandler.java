package dev.asyncio.streams;

/**
 * asyncio's {@code client_connected_cb} for {@link Streams#startServer}: the coroutine that serves one
 * accepted connection. It runs as a task of the server's loop, so it may suspend. An exception it
 * throws is reported to the loop's exception handler and closes the connection (asyncio 3.12+).
 */
@FunctionalInterface
public interface StreamHandler {
    /**
     * Serves a connection.
     *
     * @param reader reads what the client sends
     * @param writer writes to the client; close it when done
     * @throws Exception anything; reported and the connection closed
     */
    void handle(StreamReader reader, StreamWriter writer) throws Exception;
}
