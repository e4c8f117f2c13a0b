package dev.asyncio.transports;

import dev.asyncio.EventLoop;
import dev.asyncio.ExceptionContext;
import dev.asyncio.Future;
import dev.asyncio.TimerHandle;
import dev.asyncio.TimeoutError;
import dev.asyncio.engine.Durations;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * asyncio's {@code SSLProtocol} on a JDK {@link SSLEngine}: the protocol of the raw socket transport,
 * which decrypts into the application's protocol, and the transport the application writes to, which
 * encrypts. Runs on the loop's turn; the engine's delegated tasks (certificate checks) run inline, as
 * asyncio runs OpenSSL's work inline.
 */
final class TlsProtocol implements Protocol, Transport {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final EventLoop loop;
    private Protocol app;
    private final TlsOptions options;
    private final SSLEngine engine;
    private final Future<Transport> waiter;
    private final boolean callAppConnectionMade;
    private Transport raw;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    private final List<byte[]> pendingWrites = new ArrayList<>();
    private TimerHandle handshakeTimer;
    private TimerHandle shutdownTimer;
    private boolean handshakeDone;
    private boolean appConnected;
    private boolean closing;
    private boolean lost;
    private boolean pumping;
    private Exception failure;

    TlsProtocol(EventLoop loop, Protocol app, TlsOptions options, boolean serverSide, String serverHostname,
            Future<Transport> waiter) {
        this(loop, app, options, serverSide, serverHostname, -1, waiter, true);
    }

    TlsProtocol(EventLoop loop, Protocol app, TlsOptions options, boolean serverSide, String serverHostname,
            int port, Future<Transport> waiter, boolean callAppConnectionMade) {
        this.loop = loop;
        this.app = Objects.requireNonNull(app, "the protocol factory returned null");
        this.options = options;
        this.waiter = waiter;
        this.callAppConnectionMade = callAppConnectionMade;
        // asyncio's server_hostname='': no host-name check and no SNI (the chain is still verified).
        boolean checkHostname = options.checkHostname() && !"".equals(serverHostname);
        String peerName = "".equals(serverHostname) ? null : serverHostname;
        if (!serverSide && checkHostname && peerName == null) {
            throw new IllegalArgumentException("a TLS client that checks host names needs a server host name: "
                    + "pass serverHostname, or \"\" or TlsOptions.withoutHostnameCheck() for no check");
        }
        engine = peerName != null && !serverSide
                ? options.context().createSSLEngine(peerName, port)
                : options.context().createSSLEngine();
        engine.setUseClientMode(!serverSide);
        SSLParameters p = engine.getSSLParameters();
        if (!serverSide && checkHostname) {
            // The JDK checks no host name unless asked; asyncio's default context does.
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (serverSide && options.clientAuthRequired()) {
            p.setNeedClientAuth(true);
        }
        engine.setSSLParameters(p);
        int packet = engine.getSession().getPacketBufferSize();
        netIn = ByteBuffer.allocate(packet);
        netOut = ByteBuffer.allocate(packet);
        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    // ------------------------------------------------------------------ raw transport's protocol

    @Override
    public void connectionMade(Transport transport) {
        raw = transport;
        // Saturated: Duration.ofSeconds(Long.MAX_VALUE) as "never" would overflow toNanos() on every connection.
        long nanos = Durations.toNanosSaturated(options.handshakeTimeout());
        handshakeTimer = loop.callLater(options.handshakeTimeout(), () -> fail(new TimeoutError(
                "TLS handshake is taking longer than " + nanos / 1e9 + " seconds: aborting the connection")));
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            fail(e);
            return;
        }
        pump();
    }

    @Override
    public void dataReceived(byte[] data) {
        if (lost) {
            return;
        }
        if (netIn.remaining() < data.length) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(netIn.capacity() * 2, netIn.position() + data.length));
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        netIn.put(data);
        pump();
    }

    @Override
    public boolean eofReceived() {
        if (!handshakeDone) {
            fail(new SocketException("Connection lost during the TLS handshake"));
            return false;
        }
        try {
            engine.closeInbound();
        } catch (SSLException truncated) {
            // A peer that closes without close_notify: asyncio reports plain EOF too.
        }
        if (appConnected && !closing) {
            try {
                app.eofReceived();
            } catch (RuntimeException | Error e) {
                loop.callExceptionHandler(new ExceptionContext("protocol.eofReceived() failed", e, null, null));
            }
        }
        return false;
    }

    @Override
    public void connectionLost(Exception exception) {
        lost = true;
        cancelTimers();
        Exception e = failure != null ? failure : exception;
        if (waiter != null && !waiter.isDone()) {
            waiter.setException(e != null ? e : new SocketException("Connection lost during the TLS handshake"));
        }
        if (appConnected) {
            appConnected = false;
            app.connectionLost(e);
        }
    }

    @Override
    public void pauseWriting() {
        if (appConnected) {
            app.pauseWriting();
        }
    }

    @Override
    public void resumeWriting() {
        if (appConnected) {
            app.resumeWriting();
        }
    }

    // ------------------------------------------------------------------ the engine

    /** Drives the engine as far as the data at hand allows. */
    private void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            while (!lost && step()) {
                // keep going
            }
        } catch (SSLException e) {
            fail(e);
        } finally {
            pumping = false;
        }
    }

    /** @return whether progress was made and another step may make more */
    private boolean step() throws SSLException {
        HandshakeStatus hs = engine.getHandshakeStatus();
        switch (hs) {
            case NEED_TASK -> {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
                return true;
            }
            case NEED_WRAP -> {
                return wrapAndSend(EMPTY) || engine.getHandshakeStatus() != HandshakeStatus.NEED_WRAP;
            }
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                return unwrap();
            }
            default -> {
                if (!handshakeDone) {
                    handshakeFinished();
                }
                if (engine.isInboundDone()) {
                    return false;
                }
                return unwrap();
            }
        }
    }

    private boolean unwrap() throws SSLException {
        netIn.flip();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
        switch (r.getStatus()) {
            case BUFFER_OVERFLOW -> {
                deliverAppData();
                if (appIn.position() == 0) {
                    appIn = ByteBuffer.allocate(Math.max(appIn.capacity() * 2, engine.getSession().getApplicationBufferSize()));
                }
                return true;
            }
            case BUFFER_UNDERFLOW -> {
                int need = engine.getSession().getPacketBufferSize();
                if (netIn.capacity() < need) {
                    ByteBuffer bigger = ByteBuffer.allocate(need);
                    netIn.flip();
                    bigger.put(netIn);
                    netIn = bigger;
                }
                return false;
            }
            case CLOSED -> {
                deliverAppData();
                peerClosed();
                return false;
            }
            default -> {
                if (r.getHandshakeStatus() == HandshakeStatus.FINISHED && !handshakeDone) {
                    handshakeFinished();
                }
                deliverAppData();
                return r.bytesConsumed() > 0 || r.bytesProduced() > 0;
            }
        }
    }

    private void deliverAppData() {
        if (appIn.position() == 0 || !appConnected) {
            return;
        }
        appIn.flip();
        byte[] data = new byte[appIn.remaining()];
        appIn.get(data);
        appIn.clear();
        try {
            app.dataReceived(data);
        } catch (RuntimeException | Error e) {
            loop.callExceptionHandler(new ExceptionContext("protocol.dataReceived() failed", e, null, null));
            raw.abort();
        }
    }

    /** Wraps {@code src} fully and writes the records to the raw transport; false if nothing was produced. */
    private boolean wrapAndSend(ByteBuffer src) throws SSLException {
        boolean produced = false;
        do {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize()));
                continue;
            }
            if (netOut.position() > 0) {
                netOut.flip();
                byte[] out = new byte[netOut.remaining()];
                netOut.get(out);
                raw.write(out);
                produced = true;
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED || r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                break;
            }
            if (r.getHandshakeStatus() == HandshakeStatus.FINISHED && !handshakeDone) {
                handshakeFinished();
            }
        } while (src.hasRemaining());
        return produced;
    }

    private void handshakeFinished() {
        handshakeDone = true;
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        appConnected = true;
        if (callAppConnectionMade) {
            try {
                app.connectionMade(this);
            } catch (RuntimeException | Error e) {
                loop.callExceptionHandler(new ExceptionContext("protocol.connectionMade() failed", e, null, null));
            }
        }
        if (waiter != null && !waiter.isDone()) {
            waiter.setResult(this);
        }
        if (!pendingWrites.isEmpty()) {
            List<byte[]> writes = new ArrayList<>(pendingWrites);
            pendingWrites.clear();
            writelines(writes);
        }
        if (closing) {
            startShutdown();
        }
    }

    private void peerClosed() {
        // The peer's close_notify: EOF for the application, then our own close_notify and the socket.
        if (appConnected && !closing) {
            try {
                app.eofReceived();
            } catch (RuntimeException | Error e) {
                loop.callExceptionHandler(new ExceptionContext("protocol.eofReceived() failed", e, null, null));
            }
        }
        closing = true;
        engine.closeOutbound();
        try {
            wrapAndSend(EMPTY);
        } catch (SSLException ignored) {
            // closing anyway
        }
        cancelTimers();
        raw.close();
    }

    private void fail(Exception e) {
        if (lost || failure != null) {
            return;
        }
        failure = e;
        cancelTimers();
        if (loop.getDebug()) {
            loop.callExceptionHandler(new ExceptionContext("TLS failure on " + this, e, null, null));
        }
        if (raw == null) {
            return;
        }
        // Let the engine emit its alert (e.g. certificate_unknown) so the peer learns why, then close.
        try {
            engine.closeOutbound();
            wrapAndSend(EMPTY);
        } catch (SSLException | RuntimeException ignored) {
            // the alert is best effort
        }
        raw.close();
    }

    private void startShutdown() {
        if (lost || shutdownTimer != null) {
            return;
        }
        shutdownTimer = loop.callLater(options.shutdownTimeout(), () -> {
            if (!lost) {
                raw.abort();
            }
        });
        engine.closeOutbound();
        try {
            wrapAndSend(EMPTY);
        } catch (SSLException e) {
            raw.abort();
            return;
        }
        // Wait for the peer's close_notify (peerClosed) or EOF, bounded by the shutdown time-out.
        pump();
    }

    private void cancelTimers() {
        if (handshakeTimer != null) {
            handshakeTimer.cancel();
        }
        if (shutdownTimer != null) {
            shutdownTimer.cancel();
        }
    }

    // ------------------------------------------------------------------ the application's transport

    @Override
    public void write(byte[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length == 0 || closing || lost) {
            return;
        }
        if (!handshakeDone) {
            pendingWrites.add(data.clone());
            return;
        }
        try {
            wrapAndSend(ByteBuffer.wrap(data));
        } catch (SSLException e) {
            fail(e);
        }
    }

    @Override
    public void writelines(List<byte[]> data) {
        for (byte[] d : data) {
            write(d);
        }
    }

    /** TLS has no half-close (asyncio raises {@code NotImplementedError} too). */
    @Override
    public void writeEof() {
        throw new UnsupportedOperationException("TLS transports do not support half-closes (writeEof)");
    }

    @Override
    public boolean canWriteEof() {
        return false;
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        if (raw == null || lost) {
            return;
        }
        if (!handshakeDone) {
            raw.abort();
            return;
        }
        startShutdown();
    }

    @Override
    public void abort() {
        closing = true;
        if (raw != null) {
            raw.abort();
        }
    }

    @Override
    public boolean isClosing() {
        return closing || lost || raw != null && raw.isClosing();
    }

    @Override
    public void pauseReading() {
        raw.pauseReading();
    }

    @Override
    public void resumeReading() {
        raw.resumeReading();
    }

    @Override
    public boolean isReading() {
        return raw.isReading();
    }

    @Override
    public int getWriteBufferSize() {
        int pending = 0;
        for (byte[] b : pendingWrites) {
            pending += b.length;
        }
        return pending + (raw == null ? 0 : raw.getWriteBufferSize());
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        raw.setWriteBufferLimits(high, low);
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        return raw.getWriteBufferLimits();
    }

    @Override
    public Object getExtraInfo(String name) {
        return switch (name) {
            case "sslcontext" -> options.context();
            case "ssl_object" -> engine;
            case "peercert" -> {
                try {
                    yield engine.getSession().getPeerCertificates();
                } catch (SSLPeerUnverifiedException e) {
                    yield null;
                }
            }
            case "cipher" -> engine.getSession().getCipherSuite();
            case "tls_version" -> engine.getSession().getProtocol();
            default -> raw == null ? null : raw.getExtraInfo(name);
        };
    }

    @Override
    public void setProtocol(Protocol protocol) {
        this.app = Objects.requireNonNull(protocol, "protocol");
    }

    @Override
    public Protocol getProtocol() {
        return app;
    }

    @Override
    public String toString() {
        return "TlsTransport[" + (handshakeDone ? "open" : "handshaking") + (closing ? ", closing" : "") + ", " + raw + "]";
    }
}
