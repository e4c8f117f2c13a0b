package dev.asyncio.streams;

import dev.asyncio.EventLoop;
import dev.asyncio.engine.LoopEngine;
import dev.asyncio.transports.Protocol;
import dev.asyncio.transports.Transport;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The write end of a child process's stdin pipe: writes go to a queue that a helper thread copies into
 * the pipe's {@link OutputStream}; each finished write is reported back to the loop with
 * {@link EventLoop#callSoonThreadsafe}, which keeps {@link #getWriteBufferSize()} and the water marks
 * (64 KiB / 16 KiB) exact, so {@link StreamWriter#drain()} applies backpressure as on a socket.
 *
 * <p>The thread is one of the loop's helpers ({@link LoopEngine#startHelper}): it ends when the pipe
 * is closed (by {@link #close()}, by {@link Subprocess} when the child exits, as asyncio's
 * {@code _process_exited} does) or broken, and at the latest when the loop closes and interrupts it.
 */
final class PipeWriteTransport implements Transport {
    private static final byte[] EOF = new byte[0];

    private final EventLoop loop;
    private final OutputStream out;
    private final StreamReaderProtocol protocol;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private int bufferSize;
    private int high = DEFAULT_HIGH_WATER;
    private int low = DEFAULT_LOW_WATER;
    private boolean protocolPaused;
    private boolean closing;
    private boolean lost;
    private final Runnable onDone;

    /**
     * @param onDone run on the loop's turn once the pipe is closed and its thread is ending
     */
    PipeWriteTransport(EventLoop loop, OutputStream out, StreamReaderProtocol protocol, Runnable onDone) {
        this.loop = loop;
        this.out = out;
        this.protocol = protocol;
        this.onDone = onDone;
    }

    void start(String name) {
        protocol.connectionMade(this);
        // A loop helper: a virtual thread of the JDK's default scheduler (never the loop's own carrier,
        // which a blocking pipe write would stall), interrupted and joined when the loop closes.
        LoopEngine.of(loop).startHelper(name, this::pump);
    }

    private void pump() {
        Exception failure = null;
        try {
            while (true) {
                byte[] b = queue.take();
                if (b == EOF) {
                    break;
                }
                out.write(b);
                out.flush();
                int n = b.length;
                loop.callSoonThreadsafe(() -> written(n));
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException loopClosing) {
            // the loop closes: the child sees the end of its input
        } catch (IllegalStateException loopClosed) {
            // nobody left to tell
        }
        try {
            out.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
        Exception f = failure;
        try {
            loop.callSoonThreadsafe(() -> lost(f));
        } catch (IllegalStateException loopClosed) {
            // nobody left to tell
        }
    }

    private void written(int n) {
        bufferSize -= n;
        if (protocolPaused && bufferSize <= low) {
            protocolPaused = false;
            protocol.resumeWriting();
        }
    }

    private void lost(Exception e) {
        if (lost) {
            return;
        }
        lost = true;
        closing = true;
        queue.clear();
        bufferSize = 0;
        try {
            protocol.connectionLost(e);
        } finally {
            onDone.run();
        }
    }

    @Override
    public void write(byte[] data) {
        if (closing || lost || data.length == 0) {
            return;
        }
        queue.add(data.clone());
        bufferSize += data.length;
        if (!protocolPaused && bufferSize > high) {
            protocolPaused = true;
            protocol.pauseWriting();
        }
    }

    @Override
    public void writelines(List<byte[]> data) {
        for (byte[] d : data) {
            write(d);
        }
    }

    /** Closes the pipe after the queued data: the child sees end of input. */
    @Override
    public void writeEof() {
        close();
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        queue.add(EOF);
    }

    @Override
    public void abort() {
        queue.clear();
        bufferSize = 0;
        closing = true;
        queue.add(EOF); // again if close() queued it before: the clear above took it away
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void pauseReading() {
        throw new UnsupportedOperationException("a process's stdin pipe is write-only");
    }

    @Override
    public void resumeReading() {
        throw new UnsupportedOperationException("a process's stdin pipe is write-only");
    }

    @Override
    public boolean isReading() {
        return false;
    }

    @Override
    public int getWriteBufferSize() {
        return bufferSize;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        if (!(high >= low && low >= 0)) {
            throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") must be >= 0");
        }
        this.high = high;
        this.low = low;
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        return new WriteBufferLimits(low, high);
    }

    @Override
    public Object getExtraInfo(String name) {
        return "pipe".equals(name) ? out : null;
    }

    @Override
    public void setProtocol(Protocol protocol) {
        throw new UnsupportedOperationException("the protocol of a process pipe cannot be replaced");
    }

    @Override
    public Protocol getProtocol() {
        return protocol;
    }
}
