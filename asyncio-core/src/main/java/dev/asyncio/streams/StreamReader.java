package dev.asyncio.streams;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.engine.Exceptions;
import dev.asyncio.engine.LoopEngine;
import dev.asyncio.transports.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * asyncio's {@code StreamReader}: a buffer of bytes fed by a connection and read by a coroutine.
 *
 * <p><b>Limit and memory.</b> The {@code limit} (64 KiB by default) bounds how far {@link #readuntil}
 * and {@link #readline} look for a separator. The buffer also applies backpressure: when it holds more
 * than twice the limit, the transport stops reading until it is drained to the limit, so a peer that
 * sends faster than the coroutine reads is held back by TCP instead of filling memory.
 *
 * <p><b>Errors.</b> A connection lost with an error (a reset peer: {@link java.net.SocketException})
 * makes every read throw that error; a clean end of stream makes {@code read} return an empty array
 * and {@link #readexactly}/{@link #readuntil} throw {@link IncompleteReadError}.
 *
 * <p><b>Threads.</b> Reads suspend and must be called from a coroutine of the reader's loop; the
 * {@code feed*} methods are for protocols, on the loop's turn. Only one coroutine may wait for data at a
 * time, as in asyncio. A coroutine waiting for data counts as I/O in flight for an auto-jumping virtual
 * clock.
 *
 * <p><b>Line by line.</b> A reader is an {@link Iterable} of its lines, asyncio's
 * {@code async for line in reader}: {@code for (byte[] line : reader) { … }} calls {@link #readline()}
 * until it returns an empty array, each line with its {@code \n} (the last one may lack it).
 */
public class StreamReader implements Iterable<byte[]> {
    /** asyncio's {@code _DEFAULT_LIMIT}, 64 KiB. */
    public static final int DEFAULT_LIMIT = 64 * 1024;
    private static final byte[] EMPTY = new byte[0];

    private final int limit;
    private final EventLoop loop;
    private byte[] buf = EMPTY;
    private int start;
    private int end;
    private boolean eof;
    private Future<Void> waiter;
    private Throwable exception;
    private Transport transport;
    private boolean paused;
    private int readexactlyLimit = Integer.MAX_VALUE;

    /** Creates a reader with the default limit on the running loop (or the thread's current loop). */
    public StreamReader() {
        this(DEFAULT_LIMIT);
    }

    /**
     * @param limit the buffer limit in bytes, positive
     * @throws IllegalArgumentException if {@code limit <= 0}
     */
    public StreamReader(int limit) {
        this(limit, Asyncio.getEventLoop());
    }

    /**
     * @param limit the buffer limit in bytes, positive
     * @param loop the loop whose coroutines read
     */
    public StreamReader(int limit, EventLoop loop) {
        if (limit <= 0) {
            throw new IllegalArgumentException("Limit cannot be <= 0: " + limit);
        }
        this.limit = limit;
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /**
     * Sets the largest {@link #readexactly} this reader accepts: a larger one fails at once with a
     * {@link LimitOverrunError} instead of buffering toward that size. asyncio has no such bound (a
     * {@code readexactly(n)} buffers up to {@code n} bytes, whatever {@code n} is); set it when {@code n}
     * comes from the peer, as in a length-prefixed protocol, so that a hostile length cannot make the
     * reader grow toward 2 GiB. {@link #readuntil} and {@link #readline} are bounded by {@link #limit()}
     * already. On the loop's turn.
     *
     * <pre>{@code
     * reader.setReadexactlyLimit(1 << 20);                    // frames of at most 1 MiB
     * int length = ByteBuffer.wrap(reader.readexactly(4)).getInt();
     * byte[] frame = reader.readexactly(length);              // LimitOverrunError past 1 MiB
     * }</pre>
     *
     * @param bytes the largest size, positive; {@link Integer#MAX_VALUE} (the default) for no bound
     * @throws IllegalArgumentException if {@code bytes <= 0}
     */
    public void setReadexactlyLimit(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("the readexactly limit must be positive: " + bytes
                    + " (Integer.MAX_VALUE for no bound)");
        }
        readexactlyLimit = bytes;
    }

    /** @return the largest {@link #readexactly} accepted, {@link Integer#MAX_VALUE} unless set */
    public int readexactlyLimit() {
        return readexactlyLimit;
    }

    /** @return the limit given at construction */
    public int limit() {
        return limit;
    }

    /** @return the exception set by {@link #setException}, or {@code null} */
    public Throwable exception() {
        return exception;
    }

    /**
     * Makes every read (current and future) throw {@code error}; for protocols.
     *
     * @param error the error
     */
    public void setException(Throwable error) {
        exception = Objects.requireNonNull(error, "error");
        Future<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.isCancelled()) {
                w.setException(error);
            }
        }
    }

    /**
     * Sets the transport the reader pauses and resumes; for protocols.
     *
     * @param transport the transport
     * @throws IllegalStateException if one is set already
     */
    public void setTransport(Transport transport) {
        if (this.transport != null) {
            throw new IllegalStateException("Transport already set");
        }
        this.transport = transport;
    }

    void replaceTransport(Transport transport) {
        this.transport = transport;
    }

    private void wakeupWaiter() {
        Future<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.isCancelled()) {
                w.setResult(null);
            }
        }
    }

    private void maybeResumeTransport() {
        if (paused && end - start <= limit) {
            paused = false;
            transport.resumeReading();
        }
    }

    /** Marks the end of the stream; for protocols. */
    public void feedEof() {
        eof = true;
        wakeupWaiter();
    }

    /** @return whether the stream ended and the buffer is empty (asyncio's {@code at_eof}) */
    public boolean atEof() {
        return eof && start == end;
    }

    /**
     * Appends bytes to the buffer; for protocols. Pauses the transport when the buffer exceeds twice
     * the limit.
     *
     * @param data the bytes
     * @throws IllegalStateException after {@link #feedEof()}
     */
    public void feedData(byte[] data) {
        if (eof) {
            throw new IllegalStateException("feedData after feedEof");
        }
        if (data.length == 0) {
            return;
        }
        int size = end - start;
        if (end + data.length > buf.length) {
            if (size + data.length <= buf.length && start >= buf.length / 2) {
                System.arraycopy(buf, start, buf, 0, size);
            } else {
                long want = Math.max((long) size + data.length, Math.max(1024L, buf.length * 2L));
                if (want > Integer.MAX_VALUE - 16) {
                    want = (long) size + data.length;
                }
                byte[] bigger = new byte[(int) want];
                System.arraycopy(buf, start, bigger, 0, size);
                buf = bigger;
            }
            start = 0;
            end = size;
        }
        System.arraycopy(data, 0, buf, end, data.length);
        end += data.length;
        wakeupWaiter();
        if (transport != null && !paused && end - start > 2 * limit) {
            try {
                transport.pauseReading();
                paused = true;
            } catch (UnsupportedOperationException e) {
                // a transport that cannot pause: keep reading
            }
        }
    }

    /** @return the number of bytes buffered (not part of asyncio's API; for monitoring) */
    public int bufferedSize() {
        return end - start;
    }

    /** @return the capacity of the internal buffer in bytes (for tests of memory bounds) */
    int bufferCapacity() {
        return buf.length;
    }

    private void waitForData(String method) {
        if (waiter != null) {
            throw new IllegalStateException(method + "() called while another coroutine is already waiting for incoming data");
        }
        if (paused) {
            paused = false;
            transport.resumeReading();
        }
        Future<Void> w = loop.createFuture();
        waiter = w;
        LoopEngine.of(loop).beginIo();
        try {
            w.await();
        } finally {
            LoopEngine.of(loop).endIo();
            waiter = null;
        }
    }

    private void checkException() throws IOException {
        Throwable e = exception;
        if (e != null) {
            throw Exceptions.sneaky(e);
        }
    }

    private byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buf, start, start + n);
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
            if (buf.length > 4 * limit) {
                buf = EMPTY; // give back a buffer a burst inflated
            }
        }
        return out;
    }

    private void clear() {
        start = 0;
        end = 0;
        if (buf.length > 4 * limit) {
            buf = EMPTY;
        }
    }

    /**
     * Reads up to {@code n} bytes, suspending until at least one is available or the stream ends;
     * asyncio's {@code read(n)}. With {@code n < 0}, reads until the end of the stream.
     *
     * @param n the most bytes to return; 0 returns an empty array at once; negative means all
     * @return the bytes; empty at the end of the stream
     * @throws IOException the connection's error (e.g. {@link java.net.SocketException} on a reset)
     * @throws dev.asyncio.CancelledError if the calling task is cancelled meanwhile (no data is lost)
     */
    public byte[] read(int n) throws IOException {
        checkException();
        if (n == 0) {
            return EMPTY;
        }
        if (n < 0) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (true) {
                byte[] block = read(limit);
                if (block.length == 0) {
                    return all.toByteArray();
                }
                all.writeBytes(block);
            }
        }
        if (start == end && !eof) {
            waitForData("read");
        }
        checkException();
        // No call into another class here (Math.min was one): code that first runs after a wake is compiled,
        // when every reader parked before any data came, with a trap on each reference not yet resolved, and
        // each parked reader's frame then deoptimizes on its own (ParkedWakeProbe read).
        int available = end - start;
        byte[] data = take(n < available ? n : available);
        maybeResumeTransport();
        return data;
    }

    /**
     * Reads exactly {@code n} bytes; asyncio's {@code readexactly}.
     *
     * @param n how many bytes, not negative
     * @return the bytes
     * @throws IncompleteReadError if the stream ends first; it carries the partial bytes, which are
     *     removed from the buffer
     * @throws IOException the connection's error
     * @throws IllegalArgumentException if {@code n < 0}
     * @throws LimitOverrunError if {@code n} exceeds {@link #readexactlyLimit()}; nothing is consumed
     */
    public byte[] readexactly(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("readexactly size can not be less than zero");
        }
        if (n > readexactlyLimit) {
            throw new LimitOverrunError("readexactly(" + n + ") exceeds this reader's readexactly limit of "
                    + readexactlyLimit + " bytes (setReadexactlyLimit)", 0);
        }
        checkException();
        if (n == 0) {
            return EMPTY;
        }
        if (end - start < n) {
            // `if … do … while`: the test after a wake is a bytecode of its own (see readuntil)
            do {
                if (eof) {
                    throw new IncompleteReadError(take(end - start), n);
                }
                waitForData("readexactly");
                checkException();
            } while (end - start < n);
        }
        byte[] data = take(n);
        maybeResumeTransport();
        return data;
    }

    /**
     * The lines of the stream, read one at a time with {@link #readline()} as the loop advances; asyncio's
     * {@code async for line in reader}. {@code hasNext()} suspends the calling coroutine until a line or
     * the end of the stream is there, so the loop must run in a coroutine of this reader's loop.
     *
     * <p>Errors: what {@link #readline()} throws ({@link LimitOverrunError}, the connection's
     * {@link IOException}) comes out of {@code hasNext()} or {@code next()} as it is, undeclared (an
     * {@link Iterator} cannot declare it), as {@code await()} rethrows a checked exception; catch
     * {@code IOException} around the loop.
     *
     * @return an iterator of lines; each call starts where the stream is now
     */
    @Override
    public Iterator<byte[]> iterator() {
        return new Iterator<>() {
            private byte[] next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = readline();
                    } catch (IOException e) {
                        throw Exceptions.sneaky(e);
                    }
                }
                return next.length > 0;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the stream has ended");
                }
                byte[] line = next;
                next = null;
                return line;
            }
        };
    }

    /**
     * Reads one line ending in {@code \n}; asyncio's {@code readline}. At the end of the stream returns
     * the partial line (without {@code \n}), or an empty array.
     *
     * @return the line including its {@code \n}, or the final partial line
     * @throws LimitOverrunError if the line is longer than the limit: the over-long data is dropped
     *     first (up to and including the {@code \n} if it was found, else the whole buffer), as asyncio
     *     does before raising {@code ValueError}
     * @throws IOException the connection's error
     */
    public byte[] readline() throws IOException {
        try {
            return readuntil(new byte[] {'\n'});
        } catch (IncompleteReadError e) {
            return e.partial();
        } catch (LimitOverrunError e) {
            int c = e.consumed();
            if (end - start > c && buf[start + c] == '\n') {
                start += c + 1;
                if (start == end) {
                    clear();
                }
            } else {
                clear();
            }
            maybeResumeTransport();
            throw new LimitOverrunError(e.getMessage(), c);
        }
    }

    /**
     * Reads up to and including {@code separator}; asyncio's {@code readuntil}.
     *
     * @param separator one or more bytes
     * @return the data including the separator
     * @throws IncompleteReadError if the stream ends first; the partial data is removed from the buffer
     * @throws LimitOverrunError if no separator is found within the limit, or it is found past it; the
     *     buffer is left as it was, so the data can still be read
     * @throws IOException the connection's error
     * @throws IllegalArgumentException if {@code separator} is empty
     */
    public byte[] readuntil(byte[] separator) throws IOException {
        int seplen = separator.length;
        if (seplen == 0) {
            throw new IllegalArgumentException("Separator should be at least one-byte string");
        }
        checkException();
        // The search of what is buffered on entry and the one after each wake are separate bytecodes, as in
        // Queue.get: written as one loop, a server whose readers all parked before any data ever arrived
        // (many idle connections) has that loop compiled with "the buffer never holds a line" as a trap,
        // and each parked reader's frame deoptimizes on its own when its line comes (benchmarks/README.md,
        // "Virtual time: the deoptimization storm"; ParkedWakeProbe readline).
        int offset = 0;
        int match = -1;
        if (end - start >= seplen) {
            match = indexOf(separator, 0);
            if (match < 0) {
                offset = nextSearchOffset(seplen);
            }
        }
        if (match < 0) {
            do {
                if (eof) {
                    throw new IncompleteReadError(take(end - start), null);
                }
                waitForData("readuntil");
                checkException();
                if (end - start - offset >= seplen) {
                    match = indexOf(separator, offset);
                    if (match < 0) {
                        offset = nextSearchOffset(seplen);
                    }
                }
            } while (match < 0);
        }
        if (match > limit) {
            throw new LimitOverrunError("Separator is found, but chunk is longer than limit", match);
        }
        byte[] chunk = take(match + seplen);
        maybeResumeTransport();
        return chunk;
    }

    /**
     * Reads up to and including the separator {@code "\n"}; asyncio's {@code readuntil()} default.
     *
     * @return the data including the separator
     * @throws IOException as {@link #readuntil(byte[])}
     */
    public byte[] readuntil() throws IOException {
        return readuntil(new byte[] {'\n'});
    }

    /**
     * Where the next search for a separator of {@code seplen} bytes starts, none being in the buffer, which
     * holds at least {@code seplen} bytes: the last {@code seplen - 1} of them may begin one. Plain
     * arithmetic, no call into another class: it runs after a wake (see {@link #read(int)}).
     *
     * @throws LimitOverrunError if that is past the limit; the buffer is left as it is
     */
    private int nextSearchOffset(int seplen) throws LimitOverrunError {
        int offset = end - start + 1 - seplen;
        if (offset > limit) {
            throw new LimitOverrunError("Separator is not found, and chunk exceed the limit", offset);
        }
        return offset;
    }

    private int indexOf(byte[] sep, int from) {
        byte first = sep[0];
        int last = end - sep.length;
        outer:
        for (int i = start + from; i <= last; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int j = 1; j < sep.length; j++) {
                if (buf[i + j] != sep[j]) {
                    continue outer;
                }
            }
            return i - start;
        }
        return -1;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<StreamReader");
        if (end > start) {
            sb.append(' ').append(end - start).append(" bytes");
        }
        if (eof) {
            sb.append(" eof");
        }
        if (limit != DEFAULT_LIMIT) {
            sb.append(" limit=").append(limit);
        }
        if (waiter != null) {
            sb.append(" waiter");
        }
        if (exception != null) {
            sb.append(" exception=").append(exception);
        }
        if (transport != null) {
            sb.append(" transport=").append(transport);
        }
        if (paused) {
            sb.append(" paused");
        }
        return sb.append('>').toString();
    }
}
