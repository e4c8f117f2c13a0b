/**
 * asyncio's high-level streams: {@link dev.asyncio.streams.Streams#openConnection} and
 * {@link dev.asyncio.streams.Streams#startServer} (TCP and Unix sockets, optionally TLS) give a
 * {@link dev.asyncio.streams.StreamReader} (with asyncio's 64 KiB limit, {@code readline},
 * {@code readexactly}, {@code readuntil}) and a {@link dev.asyncio.streams.StreamWriter} (flow control
 * with {@code drain}); {@link dev.asyncio.streams.Subprocess} runs child processes with piped streams.
 * Reads, {@code drain} and {@code communicate} suspend the calling coroutine; they declare
 * {@link java.io.IOException}.
 */
package dev.asyncio.streams;
