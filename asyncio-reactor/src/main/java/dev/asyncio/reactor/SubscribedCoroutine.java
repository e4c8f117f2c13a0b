package dev.asyncio.reactor;

import dev.asyncio.Asyncio;
import dev.asyncio.Context;
import dev.asyncio.EventLoop;
import dev.asyncio.flow.CoroutinePublisher;
import dev.asyncio.flow.ProducerCoroutine;
import org.reactivestreams.FlowAdapters;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.ContextView;

/**
 * What one subscription to a {@link MonoCoroutine} or a {@link FluxCoroutine} starts: the producer task
 * on the flow machinery ({@link CoroutinePublisher}), which both builders share.
 */
final class SubscribedCoroutine {
    private SubscribedCoroutine() {
    }

    /**
     * Starts {@code body} as a producer task for {@code actual}, on {@code explicit} or the loop chosen for
     * the subscription, with the subscriber's Reactor context visible as {@link ReactorContext} and its
     * thread-local values restored when propagation is on. On the subscribing thread.
     */
    static <T> void start(EventLoop explicit, ProducerCoroutine<T> body, CoreSubscriber<? super T> actual) {
        EventLoop loop = ReactorBridgeSettings.LOOPS.forSubscription(explicit);
        ContextView reactorContext = actual.currentContext();
        Context context = Context.copyCurrent();
        context.run(() -> {
            ReactorContext.VAR.set(reactorContext);
        });
        // Capture the context, not the subscriber: after a cancel nothing may keep it reachable (§3.13).
        reactor.util.context.Context droppedContext = reactor.util.context.Context.of(reactorContext);
        Object taskName = reactorContext.getOrDefault(ReactorContext.TASK_NAME_KEY, null);
        ProducerCoroutine<T> named = AwaitingTask.recorded(reactorContext,
                taskName == null ? body : named(taskName.toString(), body));
        ContextPropagationBridge threadLocals = ReactorBridgeSettings.contextPropagation;
        DroppedContextWarning.check(reactorContext, threadLocals);
        if (threadLocals != null) {
            named = threadLocals.restoring(reactorContext, named);
        }
        CoroutinePublisher.subscribe(loop, context, named, FlowAdapters.toFlowSubscriber(actual),
                e -> Operators.onErrorDropped(e, droppedContext));
        VirtualTimeLoop.afterSubscribe(loop);
    }

    /** {@code body}, renaming its task first (see {@link ReactorContext#TASK_NAME_KEY}). */
    private static <T> ProducerCoroutine<T> named(String name, ProducerCoroutine<T> body) {
        return sink -> {
            Asyncio.currentTask().setName(name);
            body.run(sink);
        };
    }

}
