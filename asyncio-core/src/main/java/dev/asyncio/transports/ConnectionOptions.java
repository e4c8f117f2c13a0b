package dev.asyncio.transports;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How a client connects: asyncio's {@code create_connection}/{@code open_connection} keyword arguments
 * {@code ssl}, {@code server_hostname}, {@code happy_eyeballs_delay}, {@code interleave},
 * {@code local_addr} and {@code all_errors}. Immutable; start from {@link #DEFAULT} and change it with
 * the {@code with…} methods:
 *
 * <pre>{@code
 * Connection<P> c = Transports.createConnection(factory, "example.com", 443,
 *         ConnectionOptions.DEFAULT.withTls(TlsOptions.client(), null).withHappyEyeballsDelay(Duration.ofMillis(250)));
 * }</pre>
 *
 * <p><b>Happy Eyeballs</b> (RFC 8305, asyncio 3.8+). Without a delay the resolved addresses are tried
 * strictly one after another, each once the previous one failed. With {@link #withHappyEyeballsDelay} an
 * attempt that has neither connected nor failed after the delay gets company: the next address is tried
 * in parallel (and at once when an attempt fails); the first connection wins, the others are cancelled
 * and their sockets closed. The recommended delay is 250 ms. With a delay the address list is also
 * interleaved by family (IPv6, IPv4, IPv6, ... in the resolver's order) unless {@link #withInterleave}
 * says otherwise.
 *
 * @param tls client TLS settings ({@link TlsOptions#client()}), or {@code null} for plain TCP
 * @param serverHostname with TLS: the name to verify the certificate against and send as SNI,
 *     {@code null} for the host connected to, or {@code ""} for no host-name check and no SNI (asyncio's
 *     {@code server_hostname=''}); must be {@code null} without TLS
 * @param happyEyeballsDelay how long an attempt runs alone before the next one starts, or {@code null}
 *     for attempts strictly one after another (asyncio's default); zero or negative starts the next one
 *     as soon as possible, as asyncio's delays do
 * @param interleave how to reorder the addresses by family: {@code null} for asyncio's default (1 with a
 *     Happy Eyeballs delay, else none), 0 for none, N for N addresses of the first family first, then
 *     one of each family in turn
 * @param localAddress where to bind the socket before connecting (asyncio's {@code local_addr}), or
 *     {@code null}; an unresolved address is resolved off the loop, and each attempt binds the first of
 *     its addresses that has the attempt's family
 * @param allErrors asyncio's {@code all_errors}: when no address connects, throw every attempt's error
 *     as one {@link dev.asyncio.TaskGroupException} (Python's {@code ExceptionGroup}) instead of one
 *     {@link java.io.IOException}
 */
public record ConnectionOptions(TlsOptions tls, String serverHostname, Duration happyEyeballsDelay, Integer interleave,
        InetSocketAddress localAddress, boolean allErrors) {
    /** Plain TCP, attempts one after another, no interleaving, no local address, one error: asyncio's defaults. */
    public static final ConnectionOptions DEFAULT = new ConnectionOptions(null, null, null, null, null, false);

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if {@code serverHostname} is given without {@code tls}, or
     *     {@code interleave} is negative
     */
    public ConnectionOptions {
        if (serverHostname != null && tls == null) {
            throw new IllegalArgumentException("serverHostname is only meaningful with tls");
        }
        if (interleave != null && interleave < 0) {
            throw new IllegalArgumentException("interleave must be 0 (none) or positive: " + interleave);
        }
    }

    /**
     * @param tls client TLS settings, or {@code null} for plain TCP
     * @param serverHostname the name to verify, {@code null} for the host, {@code ""} for no check
     * @return a copy with TLS
     * @throws IllegalArgumentException if {@code serverHostname} is given without {@code tls}
     */
    public ConnectionOptions withTls(TlsOptions tls, String serverHostname) {
        return new ConnectionOptions(tls, serverHostname, happyEyeballsDelay, interleave, localAddress, allErrors);
    }

    /**
     * @param delay how long an attempt runs alone, e.g. 250 ms (RFC 8305's recommendation), or
     *     {@code null} for attempts one after another
     * @return a copy with {@code happyEyeballsDelay}
     */
    public ConnectionOptions withHappyEyeballsDelay(Duration delay) {
        return new ConnectionOptions(tls, serverHostname, delay, interleave, localAddress, allErrors);
    }

    /**
     * @param interleave 0 for no reordering, N for N addresses of the first family first, then one of
     *     each family in turn; {@code null} for asyncio's default
     * @return a copy with {@code interleave}
     * @throws IllegalArgumentException if {@code interleave} is negative
     */
    public ConnectionOptions withInterleave(Integer interleave) {
        return new ConnectionOptions(tls, serverHostname, happyEyeballsDelay, interleave, localAddress, allErrors);
    }

    /**
     * @param localAddress where to bind before connecting, or {@code null}
     * @return a copy with {@code localAddress}
     */
    public ConnectionOptions withLocalAddress(InetSocketAddress localAddress) {
        return new ConnectionOptions(tls, serverHostname, happyEyeballsDelay, interleave, localAddress, allErrors);
    }

    /**
     * @param allErrors whether a failure throws every attempt's error as one
     *     {@link dev.asyncio.TaskGroupException}
     * @return a copy with {@code allErrors}
     */
    public ConnectionOptions withAllErrors(boolean allErrors) {
        return new ConnectionOptions(tls, serverHostname, happyEyeballsDelay, interleave, localAddress, allErrors);
    }

    /** @return the interleave count in effect: asyncio turns it on with a Happy Eyeballs delay */
    int effectiveInterleave() {
        if (interleave != null) {
            return interleave;
        }
        return happyEyeballsDelay != null ? 1 : 0;
    }
}
