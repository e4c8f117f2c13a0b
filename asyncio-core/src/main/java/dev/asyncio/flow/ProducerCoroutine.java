package dev.asyncio.flow;

/**
 * The body of a {@link CoroutinePublisher}: a coroutine that produces elements with
 * {@link FlowSink#emit}. It runs as a task of the publisher's loop, once per subscription.
 *
 * <p>Returning normally completes the subscriber; throwing signals the exception as {@code onError};
 * when the subscriber cancels, the body sees {@link dev.asyncio.CancelledError} at its next suspension
 * ({@code emit}, {@code sleep}, an {@code await}, …).
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface ProducerCoroutine<T> {
    /**
     * Produces the elements.
     *
     * @param sink where to send them
     * @throws Exception any exception, delivered to the subscriber as {@code onError}
     */
    void run(FlowSink<T> sink) throws Exception;
}
