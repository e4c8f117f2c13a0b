package dev.asyncio.rxjava3;

/**
 * The coroutine of {@link RxCoroutines#observable}: emits elements into a sink, completes the
 * {@code Observable} by returning, fails it by throwing.
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface ObservableProducer<T> {

    /**
     * Runs the coroutine for one subscriber.
     *
     * @param sink where to emit the elements
     * @throws Exception any failure, which becomes the subscriber's {@code onError}
     */
    void produce(ObservableSink<T> sink) throws Exception;
}
