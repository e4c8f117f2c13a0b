package dev.asyncio.flow;

import dev.asyncio.engine.Exceptions;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * A {@link Flow.Subscriber} that lets a coroutine await one outcome of a publisher: its first, last or
 * single element. Create it inside the coroutine, subscribe it, then call {@link #await()}:
 *
 * <pre>{@code
 * PublisherAwaiter<String> first = new PublisherAwaiter<>(PublisherAwaiter.Mode.FIRST);
 * publisher.subscribe(first);
 * String s = first.await();     // suspends this coroutine only
 * }</pre>
 * {@link FlowCoroutines} does exactly this; bridges (Reactor, RxJava) wrap the awaiter in their own
 * subscriber type to pass a context upstream.
 *
 * <p><b>Threads.</b> The publisher may signal on any thread: signals that arrive on the awaiting
 * task's loop turn are handled at once, others are handed to the loop with
 * {@code callSoonThreadsafe} (see the package documentation). The subscription is requested and
 * cancelled on the loop's turn only.
 *
 * <p><b>Cancellation.</b> If the awaiting task is cancelled while it waits in {@link #await()}, the
 * subscription is cancelled and {@link dev.asyncio.CancelledError} propagates. Once the outcome is
 * known ({@code FIRST} got its element, {@code SINGLE} a second one) the subscription is cancelled
 * too.
 *
 * @param <T> the element type
 */
public final class PublisherAwaiter<T> extends LoopSubscriber<T> {
    /** Which outcome to await, after kotlinx.coroutines' {@code awaitFirst}, {@code awaitSingle}, …. */
    public enum Mode {
        /** The first element (requests 1, then cancels); {@link NoSuchElementException} if empty. */
        FIRST(1, false),
        /** The first element (requests 1, then cancels), or {@code null} if empty. */
        FIRST_OR_NULL(1, true),
        /** The last element (requests all); {@link NoSuchElementException} if empty. */
        LAST(Long.MAX_VALUE, false),
        /** The last element (requests all), or {@code null} if empty. */
        LAST_OR_NULL(Long.MAX_VALUE, true),
        /**
         * The only element (requests 2 to see a second one); {@link NoSuchElementException} if empty,
         * {@link IllegalArgumentException} (after cancelling) if there are more.
         */
        SINGLE(2, false),
        /** As {@link #SINGLE}, but {@code null} if empty; the way to await a {@code Mono}. */
        SINGLE_OR_NULL(2, true);

        final long request;
        final boolean nullIfEmpty;

        Mode(long request, boolean nullIfEmpty) {
            this.request = request;
            this.nullIfEmpty = nullIfEmpty;
        }

        /**
         * The outcome, in this mode, of a publisher that completed after at most one element: for bridges
         * that know the outcome without subscribing (a coroutine publisher awaited inline).
         *
         * @param valueOrNull the element, or {@code null} if there was none
         * @param <T> the element type
         * @return the element, or {@code null} if there was none and this mode accepts that
         * @throws NoSuchElementException if there was none and this mode needs one
         */
        public <T> T ofAtMostOne(T valueOrNull) {
            if (valueOrNull == null && !nullIfEmpty) {
                throw emptyError();
            }
            return valueOrNull;
        }

        /** @return the error of a publisher that completed empty, in a mode that needs an element */
        private NoSuchElementException emptyError() {
            return new NoSuchElementException("the publisher completed without any element; "
                    + "use the " + this + "_OR_NULL mode (e.g. awaitFirstOrNull) to accept an empty one");
        }
    }

    private final Mode mode;
    private T value;
    private boolean hasValue;
    private Throwable error;
    private boolean decided;

    /**
     * Creates an awaiter owned by the calling coroutine.
     *
     * @param mode which outcome to await
     * @throws IllegalStateException if not called from a coroutine
     */
    public PublisherAwaiter(Mode mode) {
        super("PublisherAwaiter");
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /**
     * Suspends the owning coroutine until the outcome is known and returns it; returns at once if it is
     * known already.
     *
     * @return the element, or {@code null} in an {@code _OR_NULL} mode when the publisher was empty
     * @throws NoSuchElementException if the publisher completed empty in a mode that needs an element
     * @throws IllegalArgumentException in {@code SINGLE} modes, if the publisher has more than one element
     * @throws dev.asyncio.CancelledError if the awaiting task was cancelled (the subscription is cancelled)
     * @throws IllegalStateException if not called from the coroutine that created this awaiter
     * @throws RuntimeException (or any checked exception, undeclared) the publisher's own error,
     *     rethrown as the same object
     */
    public T await() {
        checkOwner("PublisherAwaiter.await()");
        while (!decided) {
            suspendOwner();
        }
        if (error != null) {
            throw Exceptions.sneaky(error);
        }
        return value;
    }

    /** @return whether the outcome is known, so that {@link #await()} would not suspend */
    public boolean isDone() {
        return decided;
    }

    @Override
    void handleSubscribe() {
        request(mode.request);
    }

    @Override
    void handleNext(T item) {
        if (decided) {
            return;
        }
        switch (mode) {
            case FIRST, FIRST_OR_NULL -> {
                decide(item, null);
                cancelUpstream();
            }
            case LAST, LAST_OR_NULL -> {
                value = item;
                hasValue = true;
            }
            case SINGLE, SINGLE_OR_NULL -> {
                if (hasValue) {
                    cancelUpstream();
                    decide(null, new IllegalArgumentException("expected a single element, but the publisher emitted "
                            + "more than one (" + value + ", " + item + ", …); use awaitFirst() to take the first"));
                } else {
                    value = item;
                    hasValue = true;
                }
            }
        }
    }

    @Override
    void handleError(Throwable e) {
        if (!decided) {
            decide(null, e);
        }
    }

    @Override
    void handleComplete() {
        if (decided) {
            return;
        }
        if (hasValue) {
            decide(value, null);
        } else {
            decide(null, mode.nullIfEmpty ? null : mode.emptyError());
        }
    }

    private void decide(T v, Throwable e) {
        decided = true;
        value = v;
        error = e;
        wakeOwner();
    }

    @Override
    public String toString() {
        return "PublisherAwaiter[" + mode + (decided ? ", done" : ", waiting") + ", owner=" + owner.getName() + "]";
    }
}
