package dev.asyncio.flow;

import dev.asyncio.EventLoop;
import java.util.concurrent.Flow;

/**
 * Coroutines meet {@link java.util.concurrent.Flow} (Reactive Streams): publishers built from
 * coroutines, and publishers awaited inside coroutines. Meant for {@code import static}.
 *
 * <pre>{@code
 * Flow.Publisher<Integer> numbers = publish(loop, sink -> {
 *     for (int i = 0; i < 3; i++) sink.emit(i);
 * });
 * // inside a coroutine:
 * int first = awaitFirst(numbers);
 * try (PublisherIterator<Integer> it = iterate(numbers)) {
 *     for (int n : it) System.out.println(n);
 * }
 * }</pre>
 *
 * <p>The {@code await*} methods and {@link #iterate} must be called from a coroutine; they suspend only
 * the calling coroutine, never its loop. The publisher's signals are delivered onto the coroutine's
 * loop (directly when they arrive on the loop's own turn). Cancelling the awaiting task cancels the
 * subscription. Errors are rethrown as the publisher's own exception object.
 *
 * <p>kotlinx.coroutines' counterparts are {@code publish {}}, {@code awaitFirst()} and friends, and
 * {@code asFlow()/collect}.
 */
public final class FlowCoroutines {
    private FlowCoroutines() {
    }

    /**
     * A cold publisher whose subscriptions each run {@code body} as a task on {@code loop}; see
     * {@link CoroutinePublisher}.
     *
     * @param loop the loop the producer tasks run on
     * @param body the producer coroutine, which sends elements with {@code sink.emit(v)}
     * @param <T> the element type
     * @return the publisher
     */
    public static <T> CoroutinePublisher<T> publish(EventLoop loop, ProducerCoroutine<T> body) {
        return new CoroutinePublisher<>(loop, body);
    }

    /**
     * Suspends the calling coroutine until {@code publisher} emits its first element, then cancels the
     * subscription and returns the element.
     *
     * @param publisher the publisher
     * @param <T> the element type
     * @return the first element
     * @throws java.util.NoSuchElementException if it completes without an element
     * @throws dev.asyncio.CancelledError if the calling task is cancelled meanwhile
     * @throws IllegalStateException if not called from a coroutine
     */
    public static <T> T awaitFirst(Flow.Publisher<T> publisher) {
        return await(publisher, PublisherAwaiter.Mode.FIRST);
    }

    /**
     * As {@link #awaitFirst}, but returns {@code null} if the publisher completes without an element.
     *
     * @param publisher the publisher
     * @param <T> the element type
     * @return the first element, or {@code null}
     */
    public static <T> T awaitFirstOrNull(Flow.Publisher<T> publisher) {
        return await(publisher, PublisherAwaiter.Mode.FIRST_OR_NULL);
    }

    /**
     * Suspends the calling coroutine until {@code publisher} completes and returns its last element.
     *
     * @param publisher the publisher
     * @param <T> the element type
     * @return the last element
     * @throws java.util.NoSuchElementException if it completes without an element
     */
    public static <T> T awaitLast(Flow.Publisher<T> publisher) {
        return await(publisher, PublisherAwaiter.Mode.LAST);
    }

    /**
     * Suspends the calling coroutine until {@code publisher} completes and returns its only element.
     *
     * @param publisher the publisher
     * @param <T> the element type
     * @return the element
     * @throws java.util.NoSuchElementException if it completes without an element
     * @throws IllegalArgumentException if it emits a second element (the subscription is cancelled)
     */
    public static <T> T awaitSingle(Flow.Publisher<T> publisher) {
        return await(publisher, PublisherAwaiter.Mode.SINGLE);
    }

    /**
     * As {@link #awaitSingle}, but returns {@code null} if the publisher completes without an element.
     *
     * @param publisher the publisher
     * @param <T> the element type
     * @return the element, or {@code null}
     */
    public static <T> T awaitSingleOrNull(Flow.Publisher<T> publisher) {
        return await(publisher, PublisherAwaiter.Mode.SINGLE_OR_NULL);
    }

    /**
     * Subscribes a {@link PublisherAwaiter} in {@code mode} and awaits it.
     *
     * @param publisher the publisher
     * @param mode which outcome to await
     * @param <T> the element type
     * @return the outcome, see {@link PublisherAwaiter#await()}
     */
    public static <T> T await(Flow.Publisher<T> publisher, PublisherAwaiter.Mode mode) {
        PublisherAwaiter<T> awaiter = new PublisherAwaiter<>(mode);
        publisher.subscribe(awaiter);
        return awaiter.await();
    }

    /**
     * Subscribes to {@code publisher} for a for-each inside the calling coroutine, with
     * {@link PublisherIterator#DEFAULT_PREFETCH} elements of prefetch. Use it with try-with-resources
     * so that leaving the loop early cancels the subscription.
     *
     * @param publisher the publisher
     * @param <T> the element type
     * @return the single-use iterable
     * @throws IllegalStateException if not called from a coroutine
     */
    public static <T> PublisherIterator<T> iterate(Flow.Publisher<T> publisher) {
        return iterate(publisher, PublisherIterator.DEFAULT_PREFETCH);
    }

    /**
     * As {@link #iterate(Flow.Publisher)} with a given prefetch.
     *
     * @param publisher the publisher
     * @param prefetch how many elements to request ahead, at least 1
     * @param <T> the element type
     * @return the single-use iterable
     */
    public static <T> PublisherIterator<T> iterate(Flow.Publisher<T> publisher, int prefetch) {
        PublisherIterator<T> it = new PublisherIterator<>(prefetch);
        publisher.subscribe(it);
        return it;
    }
}
