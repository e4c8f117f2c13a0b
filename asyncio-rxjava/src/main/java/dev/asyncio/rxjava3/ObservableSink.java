package dev.asyncio.rxjava3;

import dev.asyncio.CancelledError;

/**
 * What the coroutine of {@link RxCoroutines#observable} emits into: each {@link #emit} is one
 * {@code onNext} to the subscriber. An {@code Observable} has no backpressure, so {@code emit} never
 * suspends.
 *
 * @param <T> the element type
 */
public interface ObservableSink<T> {

    /**
     * Sends {@code value} to the subscriber ({@code onNext}), right now, on the calling thread.
     *
     * <p>Must be called on the turn of the loop the coroutine runs on: from the coroutine itself, from
     * other coroutines of that loop, or from its callbacks. All of them run one at a time, so the
     * subscriber's signals are serialized; from any other thread, hand the value to the loop first
     * (e.g. with {@code loop.callSoonThreadsafe}).
     *
     * @param value the element, not {@code null} (RxJava carries no nulls)
     * @throws CancelledError if the subscriber has disposed its subscription (so that a coroutine that
     *     emits in a loop without ever suspending still stops)
     * @throws NullPointerException if {@code value} is {@code null}
     * @throws IllegalStateException if called off the loop's turn, or after the coroutine has ended
     * @throws RuntimeException whatever the subscriber's {@code onNext} threw (a bug in the subscriber):
     *     the subscription is then disposed and the coroutine cancelled
     */
    void emit(T value);

    /**
     * Whether emitting is over: the subscriber disposed its subscription, or the coroutine has ended.
     * Any thread.
     *
     * @return {@code true} once {@link #emit} would no longer reach the subscriber
     */
    boolean isDisposed();
}
