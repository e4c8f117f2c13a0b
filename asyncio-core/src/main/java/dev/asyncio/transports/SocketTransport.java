package dev.asyncio.transports;

import dev.asyncio.EventLoop;
import dev.asyncio.EventLoopIo;
import dev.asyncio.Future;
import dev.asyncio.ExceptionContext;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * asyncio's {@code _SelectorSocketTransport}: a {@link SocketChannel} (TCP or Unix-domain) read into a
 * {@link Protocol} whenever the selector says it is readable, with a write buffer that is flushed when
 * it is writable. Runs entirely on the loop's turn.
 */
final class SocketTransport implements Transport {
    private static final System.Logger LOG = System.getLogger("dev.asyncio");
    /** asyncio's {@code LOG_THRESHOLD_FOR_CONNLOST_WRITES}. */
    private static final int LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5;
    private static final int MAX_GATHER = 64;

    final EventLoop loop;
    private final EventLoopIo io;
    final SocketChannel channel;
    private final ByteBuffer readBuffer;
    private final Runnable onReadable = this::readReady;
    private final Runnable onWritable = this::writeReady;
    private final ArrayDeque<ByteBuffer> buffer = new ArrayDeque<>();
    private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
    private Protocol protocol;
    private final Server server;
    private int bufferSize;
    private int high = DEFAULT_HIGH_WATER;
    private int low = DEFAULT_LOW_WATER;
    private boolean protocolPaused;
    private boolean closing;
    private boolean eof;
    private boolean paused;
    private boolean readerRegistered;
    private int connLost;
    /** asyncio's {@code _empty_waiter}: set while {@link Transports#sendfile} waits for the buffer to drain. */
    private Future<Void> emptyWaiter;
    /** While {@link Transports#sendfile} owns the socket: {@link #write} is refused, as in asyncio. */
    private boolean sendfileInProgress;
    private final Object peername;
    private final Object sockname;

    SocketTransport(EventLoop loop, SocketChannel channel, Protocol protocol, Server server) {
        this.loop = loop;
        this.io = EventLoopIo.of(loop);
        this.channel = channel;
        this.protocol = Objects.requireNonNull(protocol, "the protocol factory returned null");
        this.server = server;
        this.readBuffer = ReadBuffer.forLoop(loop);
        this.peername = safe(() -> channel.getRemoteAddress());
        this.sockname = safe(() -> channel.getLocalAddress());
        if (server != null) {
            server.attach();
        }
    }

    private interface IoSupplier {
        Object get() throws IOException;
    }

    private static Object safe(IoSupplier s) {
        try {
            return s.get();
        } catch (IOException e) {
            return null;
        }
    }

    /** asyncio's constructor tail: {@code connection_made}, then reading starts, then the waiter. */
    void start(Runnable afterStart) {
        loop.callSoon(() -> protocol.connectionMade(this));
        loop.callSoon(this::addReaderIfOpen);
        if (afterStart != null) {
            loop.callSoon(afterStart);
        }
    }

    private void addReaderIfOpen() {
        if (!closing && !paused && !readerRegistered) {
            io.addReader(channel, onReadable);
            readerRegistered = true;
        }
    }

    private void removeReaderIfRegistered() {
        if (readerRegistered) {
            readerRegistered = false;
            io.removeReader(channel);
        }
    }

    // ------------------------------------------------------------------ reading

    private void readReady() {
        if (closing || paused) {
            return;
        }
        int n;
        ByteBuffer rb = readBuffer;
        rb.clear();
        try {
            n = channel.read(rb);
        } catch (IOException e) {
            fatalError(e, "Fatal read error on socket transport");
            return;
        }
        if (n < 0) {
            readEof();
            return;
        }
        if (n == 0) {
            return;
        }
        byte[] data = new byte[n];
        rb.flip();
        rb.get(data);
        try {
            protocol.dataReceived(data);
        } catch (RuntimeException | Error e) {
            fatalError(e, "Fatal error: protocol.dataReceived() call failed.");
        }
    }

    private void readEof() {
        try {
            boolean keepOpen = protocol.eofReceived();
            if (keepOpen) {
                // Half-close: the peer is done writing, we may still write.
                removeReaderIfRegistered();
            } else {
                close();
            }
        } catch (RuntimeException | Error e) {
            fatalError(e, "Fatal error: protocol.eofReceived() call failed.");
        }
    }

    @Override
    public void pauseReading() {
        if (closing || paused) {
            return;
        }
        paused = true;
        removeReaderIfRegistered();
    }

    @Override
    public void resumeReading() {
        if (closing || !paused) {
            return;
        }
        paused = false;
        addReaderIfOpen();
    }

    @Override
    public boolean isReading() {
        return !paused && !closing;
    }

    // ------------------------------------------------------------------ writing

    @Override
    public void write(byte[] data) {
        Objects.requireNonNull(data, "data");
        checkWritable("write");
        if (data.length == 0) {
            return;
        }
        if (connLost > 0) {
            lostWrite();
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        if (buffer.isEmpty()) {
            try {
                channel.write(b);
            } catch (IOException e) {
                fatalError(e, "Fatal write error on socket transport");
                return;
            }
            if (!b.hasRemaining()) {
                return;
            }
            io.addWriter(channel, onWritable);
            b = ByteBuffer.wrap(data, b.position(), b.remaining()).slice();
        }
        enqueue(b);
        maybePauseProtocol();
    }

    @Override
    public void writelines(List<byte[]> data) {
        Objects.requireNonNull(data, "data");
        checkWritable("writelines");
        if (connLost > 0) {
            lostWrite();
            return;
        }
        boolean wasEmpty = buffer.isEmpty();
        for (byte[] d : data) {
            if (d.length > 0) {
                enqueue(ByteBuffer.wrap(d));
            }
        }
        if (wasEmpty && !buffer.isEmpty()) {
            // Try at once, as asyncio 3.12+ does, then wait for writability for the rest.
            flush();
            if (!buffer.isEmpty() && !closing) {
                io.addWriter(channel, onWritable);
            } else {
                return;
            }
        }
        maybePauseProtocol();
    }

    /** Copies the remainder: the caller may reuse its array once write() returns. */
    private void enqueue(ByteBuffer b) {
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        buffer.add(ByteBuffer.wrap(copy));
        bufferSize += copy.length;
    }

    private void checkWritable(String method) {
        if (sendfileInProgress) {
            throw new IllegalStateException("unable to " + method + "(): sendfile is in progress; wait for "
                    + "Transports.sendfile() to return");
        }
        if (eof) {
            throw new IllegalStateException("Cannot call " + method + "() after writeEof()");
        }
    }

    private void lostWrite() {
        if (connLost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES) {
            LOG.log(Level.WARNING, "socket.send() raised exception.");
        }
        connLost++;
    }

    /** Sends as much of the buffer as the socket takes; false after a fatal error. */
    private boolean flush() {
        while (!buffer.isEmpty()) {
            int n = 0;
            for (ByteBuffer b : buffer) {
                gather[n++] = b;
                if (n == MAX_GATHER) {
                    break;
                }
            }
            long written;
            try {
                written = n == 1 ? channel.write(gather[0]) : channel.write(gather, 0, n);
            } catch (IOException e) {
                java.util.Arrays.fill(gather, 0, n, null);
                fatalError(e, "Fatal write error on socket transport");
                return false;
            }
            java.util.Arrays.fill(gather, 0, n, null);
            bufferSize -= (int) written;
            while (!buffer.isEmpty() && !buffer.peekFirst().hasRemaining()) {
                buffer.pollFirst();
            }
            if (written == 0 || !buffer.isEmpty() && n < MAX_GATHER) {
                return true;
            }
        }
        return true;
    }

    private void writeReady() {
        if (connLost > 0) {
            return;
        }
        if (!flush()) {
            return;
        }
        maybeResumeProtocol();
        if (buffer.isEmpty()) {
            io.removeWriter(channel);
            if (emptyWaiter != null && !emptyWaiter.isDone()) {
                emptyWaiter.setResult(null);
            }
            if (closing) {
                callConnectionLost(null);
            } else if (eof) {
                shutdownOutput();
            }
        }
    }

    @Override
    public void writeEof() {
        if (closing || eof) {
            return;
        }
        eof = true;
        if (buffer.isEmpty()) {
            shutdownOutput();
        }
    }

    private void shutdownOutput() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            fatalError(e, "Fatal error while shutting down the socket's output");
        }
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public int getWriteBufferSize() {
        return bufferSize;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        int[] limits = WaterMarks.resolve(high, low);
        this.high = limits[0];
        this.low = limits[1];
        maybePauseProtocol();
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        return new WriteBufferLimits(low, high);
    }

    private void maybePauseProtocol() {
        if (bufferSize <= high || protocolPaused) {
            return;
        }
        protocolPaused = true;
        try {
            protocol.pauseWriting();
        } catch (RuntimeException | Error e) {
            loop.callExceptionHandler(new ExceptionContext("protocol.pauseWriting() failed", e, null, null));
        }
    }

    private void maybeResumeProtocol() {
        if (protocolPaused && bufferSize <= low) {
            protocolPaused = false;
            try {
                protocol.resumeWriting();
            } catch (RuntimeException | Error e) {
                loop.callExceptionHandler(new ExceptionContext("protocol.resumeWriting() failed", e, null, null));
            }
        }
    }

    // ------------------------------------------------------------------ closing

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        removeReaderIfRegistered();
        if (buffer.isEmpty()) {
            connLost++;
            loop.callSoon(() -> callConnectionLost(null));
        }
    }

    @Override
    public void abort() {
        forceClose(null);
    }

    private void fatalError(Throwable e, String message) {
        if (!(e instanceof IOException)) {
            loop.callExceptionHandler(new ExceptionContext(message, e, null, null));
        } else if (loop.getDebug()) {
            LOG.log(Level.DEBUG, message + " " + this, e);
        }
        forceClose(e instanceof Exception ex ? ex : new RuntimeException(e));
    }

    private void forceClose(Exception e) {
        if (connLost > 0) {
            return;
        }
        if (!buffer.isEmpty()) {
            buffer.clear();
            bufferSize = 0;
            io.removeWriter(channel);
        }
        if (!closing) {
            closing = true;
            removeReaderIfRegistered();
        }
        connLost++;
        loop.callSoon(() -> callConnectionLost(e));
    }

    private void callConnectionLost(Exception e) {
        if (emptyWaiter != null && !emptyWaiter.isDone()) {
            emptyWaiter.setException(new java.net.SocketException("Connection is closed by peer"));
        }
        if (channel.isOpen()) {
            io.removeWriter(channel);
            removeReaderIfRegistered();
        }
        try {
            protocol.connectionLost(e);
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already lost
            }
            if (server != null) {
                server.detach();
            }
        }
    }

    // ------------------------------------------------------------------ sendfile

    /**
     * For {@link Transports#sendfile}, from a coroutine on the loop's turn: refuses writes from now on,
     * then suspends until everything written before has been sent (asyncio's {@code _make_empty_waiter}).
     *
     * @return the socket, to send the file on
     * @throws IllegalStateException if a sendfile is already in progress
     * @throws IOException if the connection is lost meanwhile
     */
    SocketChannel beginSendfile() throws IOException {
        if (sendfileInProgress) {
            throw new IllegalStateException("sendfile is already in progress on " + this);
        }
        sendfileInProgress = true;
        try {
            if (!buffer.isEmpty()) {
                emptyWaiter = loop.createFuture();
                emptyWaiter.await();
            }
            if (connLost > 0) {
                throw new java.net.SocketException("Connection is closed by peer");
            }
        } catch (IOException | RuntimeException | Error e) {
            endSendfile();
            throw e;
        } finally {
            emptyWaiter = null;
        }
        return channel;
    }

    /** Ends what {@link #beginSendfile()} began: writes are accepted again. */
    void endSendfile() {
        sendfileInProgress = false;
    }

    // ------------------------------------------------------------------ misc

    @Override
    public Object getExtraInfo(String name) {
        return switch (name) {
            case "peername" -> peername;
            case "sockname" -> sockname;
            case "socket" -> channel;
            default -> null;
        };
    }

    @Override
    public void setProtocol(Protocol protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
    }

    @Override
    public Protocol getProtocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return "SocketTransport[" + (closing ? "closing" : "open") + ", peer=" + peername + ", buffered=" + bufferSize + "]";
    }
}
