package dev.asyncio.streams;

import dev.asyncio.EventLoop;
import dev.asyncio.engine.LoopEngine;
import dev.asyncio.transports.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The read end of a child process's pipe. Java's process pipes are plain {@link InputStream}s, not
 * selectable channels, so a helper thread reads each pipe and delivers the chunks to the loop with
 * {@link EventLoop#callSoonThreadsafe}. Backpressure: at most {@link #IN_FLIGHT} chunks wait for the
 * loop at a time, and while the {@link StreamReader} has paused reading (its buffer is over twice its
 * limit) the thread stops reading, so the pipe fills and the child blocks, as with asyncio's pipe
 * transports.
 *
 * <p>The thread is one of the loop's helpers ({@link LoopEngine#startHelper}): it ends at the pipe's
 * end (the child and whatever inherited the pipe have exited and everything was read), at
 * {@link #close()}, and at the latest when the loop closes, which closes the transport (a paused reader
 * stops waiting) and interrupts the thread.
 */
final class PipeReadTransport implements Transport {
    private static final int CHUNK = 64 * 1024;
    private static final int IN_FLIGHT = 2;

    private final EventLoop loop;
    private final InputStream in;
    private final StreamReaderProtocol protocol;
    private final Semaphore credits = new Semaphore(IN_FLIGHT);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition resumed = lock.newCondition();
    private volatile boolean paused;
    private volatile boolean closing;
    private final Runnable onDone;

    PipeReadTransport(EventLoop loop, InputStream in, StreamReaderProtocol protocol, Runnable onDone) {
        this.loop = loop;
        this.in = in;
        this.protocol = protocol;
        this.onDone = onDone;
    }

    void start(String name) {
        protocol.connectionMade(this);
        LoopEngine.of(loop).externalWork(1);
        // A loop helper: a virtual thread of the JDK's default scheduler (never the loop's own carrier,
        // which a blocking pipe read would stall), interrupted and joined when the loop closes.
        LoopEngine.of(loop).startHelper(name, this::pump);
    }

    private void pump() {
        Exception failure = null;
        try {
            byte[] chunk = new byte[CHUNK];
            while (!closing) {
                credits.acquire();
                awaitResumed();
                int n = in.read(chunk);
                if (n < 0) {
                    break;
                }
                byte[] data = Arrays.copyOf(chunk, n);
                loop.callSoonThreadsafe(() -> {
                    credits.release();
                    if (!closing) {
                        protocol.dataReceived(data);
                    }
                });
            }
        } catch (IOException e) {
            failure = closing ? null : e;
        } catch (InterruptedException loopClosing) {
            // the loop closes (its close action closed this transport first): end like close()
            closing = true;
        } catch (IllegalStateException loopClosed) {
            closeQuietly();
            LoopEngine.of(loop).externalWork(-1);
            return;
        }
        closeQuietly();
        Exception f = failure;
        try {
            loop.callSoonThreadsafe(() -> {
                if (f == null) {
                    protocol.eofReceived();
                }
                protocol.connectionLost(f);
                onDone.run();
            });
        } catch (IllegalStateException loopClosed) {
            // nobody left to tell
        } finally {
            LoopEngine.of(loop).externalWork(-1);
        }
    }

    private void awaitResumed() throws InterruptedException {
        if (!paused) {
            return;
        }
        lock.lock();
        try {
            while (paused && !closing) {
                resumed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            resumed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void closeQuietly() {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void pauseReading() {
        paused = true;
    }

    @Override
    public void resumeReading() {
        paused = false;
        signal();
    }

    @Override
    public boolean isReading() {
        return !paused && !closing;
    }

    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        signal();
        closeQuietly();
    }

    @Override
    public void abort() {
        close();
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public void write(byte[] data) {
        throw new UnsupportedOperationException("a process's output pipe is read-only");
    }

    @Override
    public void writelines(List<byte[]> data) {
        throw new UnsupportedOperationException("a process's output pipe is read-only");
    }

    @Override
    public void writeEof() {
        throw new UnsupportedOperationException("a process's output pipe is read-only");
    }

    @Override
    public boolean canWriteEof() {
        return false;
    }

    @Override
    public int getWriteBufferSize() {
        return 0;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        throw new UnsupportedOperationException("a process's output pipe is read-only");
    }

    @Override
    public WriteBufferLimits getWriteBufferLimits() {
        return new WriteBufferLimits(0, 0);
    }

    @Override
    public Object getExtraInfo(String name) {
        return "pipe".equals(name) ? in : null;
    }

    @Override
    public void setProtocol(dev.asyncio.transports.Protocol protocol) {
        throw new UnsupportedOperationException("the protocol of a process pipe cannot be replaced");
    }

    @Override
    public dev.asyncio.transports.Protocol getProtocol() {
        return protocol;
    }
}
