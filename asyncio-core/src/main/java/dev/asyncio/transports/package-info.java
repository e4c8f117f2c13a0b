/**
 * asyncio's low-level networking: transports and protocols. {@link dev.asyncio.transports.Transports}
 * creates TCP, Unix-socket and UDP connections and servers on the running loop, with TLS through
 * {@link dev.asyncio.transports.TlsOptions} ({@code SSLEngine}, certificate and host-name checks on by
 * default) and {@code startTls}; a {@link dev.asyncio.transports.Protocol} receives the callbacks, on the
 * loop's turn, and writes through its {@link dev.asyncio.transports.Transport} with asyncio's water marks
 * ({@link dev.asyncio.transports.WaterMarks}). The streams of {@code dev.asyncio.streams} are built on it.
 */
package dev.asyncio.transports;
