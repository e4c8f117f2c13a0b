package dev.asyncio.transports;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS settings for a connection or server, asyncio's {@code ssl=} argument with its
 * {@code ssl_handshake_timeout} and {@code ssl_shutdown_timeout}. Immutable; the {@code with…} methods
 * return changed copies.
 *
 * <p><b>Safe by default, as asyncio's default context.</b> A {@link #client()} verifies the server's
 * certificate chain against the JDK's trusted roots <em>and</em> checks that it was issued for the host
 * name connected to (the JDK's {@code SSLEngine} checks no host name unless told: this class sets the
 * endpoint identification algorithm to {@code HTTPS}). Turning either check off takes an explicit call:
 * {@link #withoutHostnameCheck()}, or {@link #withoutCertificateVerification()} (which implies it, as
 * Python refuses {@code CERT_NONE} with {@code check_hostname}).
 *
 * <p>Time-outs: handshake 60 s and shutdown 30 s by default, as asyncio; a handshake that does not
 * finish in time fails the connection with {@link dev.asyncio.TimeoutError}, and a peer that does not
 * answer the {@code close_notify} in time is disconnected.
 *
 * @param context the JDK TLS context that makes the engines
 * @param checkHostname whether a client checks the server certificate's names against the host name
 * @param handshakeTimeout how long the handshake may take
 * @param shutdownTimeout how long closing waits for the peer's {@code close_notify}
 * @param clientAuthRequired for servers: whether clients must present a certificate
 */
public record TlsOptions(SSLContext context, boolean checkHostname, Duration handshakeTimeout,
        Duration shutdownTimeout, boolean clientAuthRequired) {
    /** asyncio's {@code SSL_HANDSHAKE_TIMEOUT}. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);
    /** asyncio's {@code SSL_SHUTDOWN_TIMEOUT}. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if a time-out is not positive
     */
    public TlsOptions {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
        }
        if (shutdownTimeout.isNegative() || shutdownTimeout.isZero()) {
            throw new IllegalArgumentException("shutdownTimeout must be positive: " + shutdownTimeout);
        }
    }

    /**
     * @return client settings with the JDK's default context (trusted roots from {@code cacerts}),
     *     certificate and host name checks on
     * @throws IllegalStateException if the JDK has no default TLS context
     */
    public static TlsOptions client() {
        try {
            return client(SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default SSLContext", e);
        }
    }

    /**
     * @param context a context whose trust managers decide which certificates are trusted
     * @return client settings on {@code context}, host name check on
     */
    public static TlsOptions client(SSLContext context) {
        return new TlsOptions(context, true, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_SHUTDOWN_TIMEOUT, false);
    }

    /**
     * @param context a context initialised with the server's key managers (its certificate and key)
     * @return server settings on {@code context}
     */
    public static TlsOptions server(SSLContext context) {
        return new TlsOptions(context, false, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_SHUTDOWN_TIMEOUT, false);
    }

    /**
     * Turns the host name check off (Python's {@code check_hostname = False}): any certificate the
     * trust managers accept is taken, whichever host it names. Unsafe against a man in the middle.
     *
     * @return a copy without the host name check
     */
    public TlsOptions withoutHostnameCheck() {
        return new TlsOptions(context, false, handshakeTimeout, shutdownTimeout, clientAuthRequired);
    }

    /**
     * Accepts any certificate, unverified, and checks no host name (Python's
     * {@code verify_mode = CERT_NONE}). Only for tests and trusted networks.
     *
     * @return a copy with a trust-everything context
     */
    public TlsOptions withoutCertificateVerification() {
        try {
            SSLContext trustAll = SSLContext.getInstance("TLS");
            trustAll.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return new TlsOptions(trustAll, false, handshakeTimeout, shutdownTimeout, clientAuthRequired);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a TLS context", e);
        }
    }

    /**
     * @param timeout the new handshake time-out, positive
     * @return a copy with it
     */
    public TlsOptions withHandshakeTimeout(Duration timeout) {
        return new TlsOptions(context, checkHostname, timeout, shutdownTimeout, clientAuthRequired);
    }

    /**
     * @param timeout the new shutdown time-out, positive
     * @return a copy with it
     */
    public TlsOptions withShutdownTimeout(Duration timeout) {
        return new TlsOptions(context, checkHostname, handshakeTimeout, timeout, clientAuthRequired);
    }

    /**
     * @param required whether a server demands a client certificate
     * @return a copy with it
     */
    public TlsOptions withClientAuthRequired(boolean required) {
        return new TlsOptions(context, checkHostname, handshakeTimeout, shutdownTimeout, required);
    }
}
