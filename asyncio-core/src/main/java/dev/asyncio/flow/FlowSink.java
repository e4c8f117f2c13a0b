package dev.asyncio.flow;

/**
 * Where a {@link ProducerCoroutine} sends its elements: the downstream side of a
 * {@link CoroutinePublisher} subscription, as seen from inside the producing coroutine.
 *
 * <p>The counterpart of kotlinx.coroutines' {@code ProducerScope.send} for Reactive Streams.
 *
 * @param <T> the element type
 */
public interface FlowSink<T> {
    /**
     * Sends {@code value} to the subscriber. Suspends the producing coroutine while the subscriber has
     * no outstanding demand, so nothing is ever buffered past what it requested (true backpressure);
     * returns once {@code onNext(value)} has returned.
     *
     * <p>Runs on the producer's own task (its virtual thread, holding the loop's turn). Must be called
     * only from the producing coroutine itself.
     *
     * @param value the element, never {@code null} (Reactive Streams §2.13)
     * @throws dev.asyncio.CancelledError if the subscriber cancelled (or signalled an invalid request):
     *     let it propagate, the body has nothing more to do
     * @throws NullPointerException if {@code value} is {@code null}
     * @throws IllegalStateException if called from another task, a callback or a foreign thread
     */
    void emit(T value);
}
