package dev.asyncio.flow;

import dev.asyncio.Context;
import dev.asyncio.EventLoop;
import dev.asyncio.ExceptionContext;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * A cold {@link Flow.Publisher} whose elements come from a coroutine: each subscription runs the
 * {@link ProducerCoroutine} as a new task on the publisher's loop, and the body sends elements with
 * {@code sink.emit(v)}.
 *
 * <pre>{@code
 * Flow.Publisher<Integer> squares = new CoroutinePublisher<>(loop, sink -> {
 *     for (int i = 1; i <= 5; i++) {
 *         sink.emit(i * i);            // suspends while the subscriber has no demand
 *         sleep(Duration.ofMillis(100));
 *     }
 * });
 * }</pre>
 *
 * <p><b>Semantics</b> (Reactive Streams 1.0.4, as {@code java.util.concurrent.Flow}):
 * <ul>
 *   <li>{@code emit} suspends while the subscriber's demand is zero: nothing is buffered past demand;</li>
 *   <li>the body returning completes the subscriber; the body throwing signals {@code onError} with the
 *       same exception object;</li>
 *   <li>{@code cancel()} cancels the task with the message {@link #CANCELLED_BY_SUBSCRIBER}: the body
 *       sees {@link dev.asyncio.CancelledError} at its next suspension, and nothing is reported;</li>
 *   <li>{@code request(n <= 0)} cancels the task and signals {@code onError(IllegalArgumentException)}
 *       (§3.9); demand saturates at {@code Long.MAX_VALUE} (§3.17);</li>
 *   <li>an error that can no longer be delivered (the subscriber cancelled, or broke the protocol by
 *       throwing) goes to the loop's exception handler, or to the handler given to
 *       {@link #subscribe(EventLoop, Context, ProducerCoroutine, Flow.Subscriber, Consumer)}.</li>
 * </ul>
 *
 * <p><b>Threads.</b> {@link #subscribe} may be called from any thread; {@code onSubscribe} runs on the
 * calling thread, every later signal on the loop's turn (its task's virtual thread or a callback), so
 * all signals are serialized. Requests and cancels from other threads reach the loop through
 * {@link EventLoop#callSoonThreadsafe}; made on the loop's turn (e.g. inside {@code onNext}) they take
 * effect at once, without a hop.
 *
 * <p>The kotlinx.coroutines counterpart is {@code publish { send(x) }}.
 *
 * @param <T> the element type
 */
public final class CoroutinePublisher<T> implements Flow.Publisher<T> {
    /**
     * The cancel message of a producer task whose subscriber cancelled (also used by the bridges when a
     * subscription to a future cancels it): in a web server that is most often the client going away, and
     * a {@code CancelledError} without a message would say nothing in a log.
     */
    public static final String CANCELLED_BY_SUBSCRIBER = "the subscriber cancelled its subscription "
            + "(in a web server: the client disconnected, or the response was abandoned)";

    private final EventLoop loop;
    private final ProducerCoroutine<T> body;

    /**
     * Creates a publisher whose subscriptions run {@code body} on {@code loop}.
     *
     * @param loop the loop the producer tasks run on; it must be running for elements to flow
     * @param body the producer coroutine, run once per subscription
     */
    public CoroutinePublisher(EventLoop loop, ProducerCoroutine<T> body) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.body = Objects.requireNonNull(body, "body");
    }

    /**
     * Subscribes: calls {@code subscriber.onSubscribe} on the calling thread and starts the producer
     * task on the loop, in a copy of the caller's {@link Context}.
     *
     * @param subscriber the subscriber
     * @throws NullPointerException if {@code subscriber} is {@code null} (§1.9)
     */
    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        subscribe(loop, null, body, subscriber, null);
    }

    /**
     * The machinery behind this class, for bridges that choose the loop and context per subscription
     * (Reactor's {@code flux}, RxJava's {@code flowable}): subscribes {@code subscriber} to a producer
     * task running {@code body} on {@code loop}, with the semantics described on this class.
     *
     * @param loop the loop to run the producer task on
     * @param context the context the task runs in, or {@code null} for a copy of the current one
     * @param body the producer coroutine
     * @param subscriber the subscriber; {@code onSubscribe} is called on the calling thread
     * @param droppedErrors receives errors that can no longer be delivered (called on the loop's turn,
     *     or on the calling thread if {@code onSubscribe} throws), or {@code null} for the loop's
     *     exception handler
     * @param <T> the element type
     * @throws NullPointerException if {@code subscriber} is {@code null} (§1.9)
     */
    public static <T> void subscribe(EventLoop loop, Context context, ProducerCoroutine<T> body,
            Flow.Subscriber<? super T> subscriber, Consumer<? super Throwable> droppedErrors) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(body, "body");
        Consumer<? super Throwable> dropped = droppedErrors != null ? droppedErrors
                : e -> loop.callExceptionHandler(ExceptionContext.of(
                        "CoroutinePublisher: an error could not be delivered, the subscriber had cancelled or failed", e));
        ProducerSubscription.subscribe(loop, context, body, subscriber, dropped);
    }

    /** @return the loop the producer tasks run on */
    public EventLoop getLoop() {
        return loop;
    }

    @Override
    public String toString() {
        return "CoroutinePublisher[" + body + " on " + loop + "]";
    }
}
