package dev.asyncio.transports;

import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * asyncio's {@code _sendfile_fallback} and {@code _SendfileFallbackProtocol}: sends a file through a
 * transport that cannot hand its socket to {@link FileChannel#transferTo} (a TLS transport encrypts
 * every byte), in blocks read off the loop and written with {@link Transport#write}, waiting for the
 * transport's write buffer to fall below its low-water mark between blocks. Meanwhile this object
 * stands in as the transport's protocol to see {@code pauseWriting}/{@code resumeWriting}; reading is
 * paused. {@link #restore()} gives the transport its protocol back and tells that protocol of any
 * change of the paused state it missed.
 *
 * <p>Runs in a coroutine on the transport's loop.
 */
final class SendfileFallback implements Protocol {
    private static final int BLOCK_SIZE = 16 * 1024;

    private final EventLoop loop;
    private final Transport transport;
    private final Protocol protocol;
    private final boolean resumeReading;
    private final boolean wasPaused;
    private Future<Void> writeReady;

    private SendfileFallback(EventLoop loop, Transport transport) {
        this.loop = loop;
        this.transport = transport;
        this.protocol = transport.getProtocol();
        this.resumeReading = transport.isReading();
        // A generic transport does not say whether it paused its protocol: above the high-water mark it has.
        this.wasPaused = transport.getWriteBufferSize() > transport.getWriteBufferLimits().high();
        transport.pauseReading();
        transport.setProtocol(this);
        this.writeReady = wasPaused ? loop.createFuture() : null;
    }

    /**
     * Sends {@code file} through {@code transport}; see {@link Transports#sendfile}.
     *
     * @return how many bytes were written to the transport
     */
    static long send(EventLoop loop, Transport transport, FileChannel file, long offset, Long count) throws IOException {
        SendfileFallback stand = new SendfileFallback(loop, transport);
        ByteBuffer buf = ByteBuffer.allocate(count == null ? BLOCK_SIZE : (int) Math.min(count, BLOCK_SIZE));
        long sent = 0;
        try {
            for (;;) {
                int block = count == null ? buf.capacity() : (int) Math.min(count - sent, buf.capacity());
                if (block <= 0) {
                    return sent;
                }
                buf.clear().limit(block);
                long at = offset + sent;
                int read = loop.runInExecutor(null, () -> file.read(buf, at)).await();
                if (read <= 0) {
                    return sent;
                }
                stand.drain();
                transport.write(Arrays.copyOf(buf.array(), read));
                sent += read;
            }
        } finally {
            if (sent > 0) {
                file.position(offset + sent);
            }
            stand.restore();
        }
    }

    /** Suspends while the transport's buffer is above its marks. */
    private void drain() throws IOException {
        if (transport.isClosing()) {
            throw new SocketException("Connection closed by peer");
        }
        Future<Void> f = writeReady;
        if (f != null) {
            f.await();
        }
    }

    private void restore() {
        transport.setProtocol(protocol);
        if (resumeReading && !transport.isClosing()) {
            transport.resumeReading();
        }
        boolean pausedNow = writeReady != null;
        if (pausedNow && writeReady.isDone()) {
            writeReady.exception(); // the connection was lost: drain() threw that already, or found it closing
        } else if (pausedNow) {
            writeReady.cancel();
        }
        if (wasPaused && !pausedNow) {
            protocol.resumeWriting();
        } else if (!wasPaused && pausedNow) {
            protocol.pauseWriting();
        }
    }

    @Override
    public void connectionMade(Transport t) {
        throw new IllegalStateException("Invalid state: connection should have been established already.");
    }

    @Override
    public void dataReceived(byte[] data) {
        protocol.dataReceived(data); // reading is paused; a transport that still delivers loses nothing
    }

    @Override
    public boolean eofReceived() {
        return protocol.eofReceived();
    }

    @Override
    public void connectionLost(Exception e) {
        if (writeReady != null && !writeReady.isDone()) {
            writeReady.setException(e != null ? e : new SocketException("Connection is closed by peer"));
        }
        protocol.connectionLost(e);
    }

    @Override
    public void pauseWriting() {
        if (writeReady == null) {
            writeReady = loop.createFuture();
        }
    }

    @Override
    public void resumeWriting() {
        if (writeReady != null) {
            writeReady.setResult(null);
            writeReady = null;
        }
    }
}
