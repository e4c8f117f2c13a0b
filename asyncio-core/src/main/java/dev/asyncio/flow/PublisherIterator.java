package dev.asyncio.flow;

import dev.asyncio.Future;
import dev.asyncio.engine.Exceptions;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * A for-each over a publisher inside a coroutine, with bounded prefetch: a {@link Flow.Subscriber}
 * that is also a single-use {@link Iterable}, {@link Iterator} and {@link AutoCloseable}.
 *
 * <pre>{@code
 * try (PublisherIterator<Row> rows = FlowCoroutines.iterate(publisher)) {
 *     for (Row row : rows) {          // hasNext() suspends this coroutine while nothing is buffered
 *         if (row.isLast()) break;    // close() cancels the subscription
 *         handle(row);
 *     }
 * }
 * }</pre>
 *
 * <p><b>Backpressure.</b> It requests {@code prefetch} elements at first and tops the demand up by
 * the same amount each time three quarters of a batch have been consumed, so that at most
 * {@code prefetch} elements are ever buffered. A publisher that sends more than requested breaks
 * Reactive Streams §1.1; the iteration then fails with an {@link IllegalStateException} rather than
 * buffering without bound.
 *
 * <p><b>Early exit.</b> {@link #close()} (try-with-resources) cancels the subscription. Without it, a
 * {@code break} leaves the subscription open until the owning task finishes, when it is cancelled;
 * an exception from the publisher ends the iteration by being thrown from {@link #hasNext()}. If the
 * owning task is cancelled while it waits for an element, the subscription is cancelled and
 * {@link dev.asyncio.CancelledError} propagates.
 *
 * <p><b>Threads.</b> The iteration methods must be called from the coroutine that created the
 * iterator; signals are delivered onto its loop as for {@link PublisherAwaiter}.
 *
 * @param <T> the element type
 */
public final class PublisherIterator<T> extends LoopSubscriber<T> implements Iterable<T>, Iterator<T>, AutoCloseable {
    /** The prefetch {@link FlowCoroutines#iterate(Flow.Publisher)} uses. */
    public static final int DEFAULT_PREFETCH = 32;

    private final int prefetch;
    private final int replenish;
    private final ArrayDeque<T> buffer = new ArrayDeque<>();
    private final Consumer<Future<?>> ownerDone = f -> cancelUpstream();
    private int consumedSinceRequest;
    private Throwable error;
    private boolean errorThrown;
    private boolean closed;
    private boolean iteratorTaken;
    private boolean watching;

    /**
     * Creates an iterator owned by the calling coroutine; subscribe it to the publisher next.
     *
     * @param prefetch how many elements to request ahead, at least 1
     * @throws IllegalArgumentException if {@code prefetch < 1}
     * @throws IllegalStateException if not called from a coroutine
     */
    public PublisherIterator(int prefetch) {
        super("PublisherIterator");
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be at least 1, got " + prefetch);
        }
        this.prefetch = prefetch;
        this.replenish = Math.max(1, prefetch - (prefetch >> 2));
        // Safety net for a `break` without try-with-resources: the subscription ends with the task.
        owner.addDoneCallback(ownerDone);
        watching = true;
    }

    /**
     * @return this iterator; an iteration can run only once
     * @throws IllegalStateException if called a second time
     */
    @Override
    public Iterator<T> iterator() {
        if (iteratorTaken) {
            throw new IllegalStateException("a PublisherIterator can be iterated only once; "
                    + "call iterate(publisher) again to subscribe again");
        }
        iteratorTaken = true;
        return this;
    }

    /**
     * Suspends the owning coroutine until an element is buffered or the publisher has ended.
     *
     * @return whether {@link #next()} has an element
     * @throws dev.asyncio.CancelledError if the owning task was cancelled (the subscription is cancelled)
     * @throws IllegalStateException if not called from the owning coroutine, or if the publisher sent
     *     more than requested
     * @throws RuntimeException (or any checked exception, undeclared) the publisher's own error, as the
     *     same object, once; later calls return {@code false}
     */
    @Override
    public boolean hasNext() {
        checkOwner("PublisherIterator.hasNext()");
        for (;;) {
            if (!buffer.isEmpty()) {
                return true;
            }
            if (closed) {
                return false;
            }
            if (terminated || cancelled) {
                finish();
                if (error != null && !errorThrown) {
                    errorThrown = true;
                    throw Exceptions.sneaky(error);
                }
                return false;
            }
            suspendOwner();
        }
    }

    /**
     * @return the next element, suspending the owning coroutine as {@link #hasNext()} does
     * @throws NoSuchElementException if the publisher has ended
     */
    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the publisher has no more elements");
        }
        T v = buffer.poll();
        if (!terminated && !cancelled && ++consumedSinceRequest == replenish) {
            consumedSinceRequest = 0;
            request(replenish);
        }
        return v;
    }

    /**
     * Ends the iteration: cancels the subscription if the publisher has not ended, and drops what is
     * buffered. Idempotent. Must be called from the owning coroutine.
     */
    @Override
    public void close() {
        checkOwner("PublisherIterator.close()");
        if (closed) {
            return;
        }
        closed = true;
        cancelUpstream();
        buffer.clear();
        finish();
    }

    private void finish() {
        if (watching) {
            watching = false;
            owner.removeDoneCallback(ownerDone);
        }
    }

    @Override
    void handleSubscribe() {
        request(prefetch);
    }

    @Override
    void handleNext(T item) {
        if (closed) {
            return;
        }
        if (buffer.size() >= prefetch) {
            cancelUpstream();
            error = new IllegalStateException("the publisher sent more elements than requested (at most " + prefetch
                    + " were outstanding), breaking Reactive Streams §1.1");
            wakeOwner();
            return;
        }
        buffer.add(item);
        wakeOwner();
    }

    @Override
    void handleError(Throwable e) {
        error = e;
        wakeOwner();
    }

    @Override
    void handleComplete() {
        wakeOwner();
    }

    @Override
    public String toString() {
        return "PublisherIterator[buffered=" + buffer.size() + ", prefetch=" + prefetch
                + (terminated ? ", ended" : cancelled ? ", cancelled" : "") + ", owner=" + owner.getName() + "]";
    }
}
