package dev.asyncio.streams;

import dev.asyncio.EventLoop;
import dev.asyncio.ExceptionContext;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.engine.LoopEngine;
import dev.asyncio.transports.Protocol;
import dev.asyncio.transports.Transport;
import java.net.SocketException;
import java.util.ArrayDeque;

/**
 * asyncio's {@code StreamReaderProtocol} with its {@code FlowControlMixin}: feeds a
 * {@link StreamReader}, lets {@link StreamWriter#drain()} wait while the transport's write buffer is
 * over its high water mark, and for servers starts the handler task per connection.
 */
final class StreamReaderProtocol implements Protocol {
    private final EventLoop loop;
    private final StreamReader reader;
    private final StreamHandler handler;
    private final ArrayDeque<Future<Void>> drainWaiters = new ArrayDeque<>();
    private final Future<Void> closed;
    private Transport transport;
    private StreamWriter writer;
    private Task<Void> task;
    private boolean overTls;
    private boolean paused;
    private boolean connectionLost;

    StreamReaderProtocol(EventLoop loop, StreamReader reader, StreamHandler handler) {
        this.loop = loop;
        this.reader = reader;
        this.handler = handler;
        this.closed = loop.createFuture();
    }

    boolean isServerSide() {
        return handler != null;
    }

    void replaceTransport(Transport t) {
        transport = t;
        if (reader != null) {
            reader.replaceTransport(t);
        }
        overTls = t.getExtraInfo("sslcontext") != null;
    }

    @Override
    public void connectionMade(Transport t) {
        transport = t;
        if (reader != null) {
            reader.setTransport(t);
        }
        overTls = t.getExtraInfo("sslcontext") != null;
        if (handler != null) {
            writer = new StreamWriter(t, this, reader, loop);
            StreamWriter w = writer;
            task = loop.createTask(() -> handler.handle(reader, w));
            task.addDoneCallback(done -> {
                if (done.isCancelled()) {
                    transport.close();
                    return;
                }
                Throwable e = done.exception();
                if (e != null) {
                    loop.callExceptionHandler(new ExceptionContext("Unhandled exception in client_connected_cb", e,
                            null, null));
                    transport.close();
                }
            });
        }
    }

    @Override
    public void dataReceived(byte[] data) {
        if (reader != null) {
            reader.feedData(data);
        }
    }

    @Override
    public boolean eofReceived() {
        if (reader != null) {
            reader.feedEof();
        }
        // TLS cannot half-close: let the transport close itself.
        return !overTls;
    }

    @Override
    public void connectionLost(Exception exception) {
        if (reader == null) {
            // a write-only stream (a subprocess's stdin)
        } else if (exception == null) {
            reader.feedEof();
        } else {
            reader.setException(exception);
        }
        if (!closed.isDone()) {
            if (exception == null) {
                closed.setResult(null);
            } else {
                closed.setException(exception);
                closed.exception(); // retrieved: whoever cares learns it from read/drain/waitClosed
            }
        }
        connectionLost = true;
        if (paused) {
            Future<Void> w;
            while ((w = drainWaiters.poll()) != null) {
                if (!w.isDone()) {
                    if (exception == null) {
                        w.setResult(null);
                    } else {
                        w.setException(exception);
                    }
                }
            }
        }
        task = null;
    }

    @Override
    public void pauseWriting() {
        paused = true;
    }

    @Override
    public void resumeWriting() {
        paused = false;
        Future<Void> w;
        while ((w = drainWaiters.poll()) != null) {
            if (!w.isDone()) {
                w.setResult(null);
            }
        }
    }

    /** asyncio's {@code _drain_helper}. */
    void drainHelper() throws SocketException {
        if (connectionLost) {
            throw new SocketException("Connection lost");
        }
        if (!paused) {
            return;
        }
        Future<Void> w = loop.createFuture();
        drainWaiters.add(w);
        LoopEngine.of(loop).beginIo();
        try {
            w.await();
        } finally {
            LoopEngine.of(loop).endIo();
            drainWaiters.remove(w);
        }
    }

    Future<Void> closeWaiter() {
        return closed;
    }
}
