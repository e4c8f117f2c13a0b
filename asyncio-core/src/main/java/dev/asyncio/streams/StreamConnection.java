package dev.asyncio.streams;

/**
 * What {@link Streams#openConnection} returns: asyncio's {@code (reader, writer)} pair.
 *
 * @param reader reads from the connection
 * @param writer writes to it and closes it
 */
public record StreamConnection(StreamReader reader, StreamWriter writer) {
}
