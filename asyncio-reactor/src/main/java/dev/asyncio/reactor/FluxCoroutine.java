package dev.asyncio.reactor;

import dev.asyncio.Asyncio;
import dev.asyncio.Context;
import dev.asyncio.EventLoop;
import dev.asyncio.flow.CoroutinePublisher;
import dev.asyncio.flow.ProducerCoroutine;
import org.reactivestreams.FlowAdapters;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.context.ContextView;

/**
 * The {@code Flux} of {@link ReactorCoroutines#flux}: cold, one producer task per subscription, on
 * the flow machinery ({@link CoroutinePublisher}) with the subscriber's Reactor context made visible
 * as {@link ReactorContext}.
 */
final class FluxCoroutine<T> extends Flux<T> {
    private final EventLoop loop;
    private final ProducerCoroutine<T> body;

    FluxCoroutine(EventLoop loop, ProducerCoroutine<T> body) {
        this.loop = loop;
        this.body = body;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        launch(loop, body, actual);
    }

    /** Starts {@code body} for {@code actual}; shared with {@link MonoCoroutine}. */
    static <T> void launch(EventLoop explicit, ProducerCoroutine<T> body, CoreSubscriber<? super T> actual) {
        EventLoop loop = ReactorCoroutines.LOOPS.forSubscription(explicit);
        ContextView reactorContext = actual.currentContext();
        Context context = Context.copyCurrent();
        context.run(() -> {
            ReactorContext.VAR.set(reactorContext);
        });
        // Capture the context, not the subscriber: after a cancel nothing may keep it reachable (§3.13).
        reactor.util.context.Context droppedContext = reactor.util.context.Context.of(reactorContext);
        Object taskName = reactorContext.getOrDefault(ReactorContext.TASK_NAME_KEY, null);
        ProducerCoroutine<T> named = taskName == null ? body : named(taskName.toString(), body);
        ContextPropagationBridge threadLocals = ReactorCoroutines.contextPropagation;
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

    @Override
    public String toString() {
        return "FluxCoroutine[" + body + (loop != null ? " on " + loop : "") + "]";
    }
}
