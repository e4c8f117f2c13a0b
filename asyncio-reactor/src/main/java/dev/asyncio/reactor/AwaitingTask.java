package dev.asyncio.reactor;

import dev.asyncio.Asyncio;
import dev.asyncio.Task;
import dev.asyncio.flow.ProducerCoroutine;
import dev.asyncio.internal.AwaitedByEdges;
import dev.asyncio.internal.LoopInternals;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The awaited-by edge of asyncio 3.14's call graph across the bridge: a task that awaits (or iterates) a
 * publisher carries itself in the subscription's Reactor {@code Context}; a {@link ReactorCoroutines#mono}
 * or {@link ReactorCoroutines#flux} producer task started by that subscription, on whichever loop, records
 * that task as its awaiter ({@link Asyncio#futureAddToAwaitedBy}) while its body runs. So
 * {@link Asyncio#captureCallGraph} and {@code dev.asyncio.tools.Ps pstree} show one tree across loops. The
 * key is a private object: no user code can read or forge it.
 */
final class AwaitingTask {
    private static final Object KEY = new Object() {
        @Override
        public String toString() {
            return "dev.asyncio.awaitingTask";
        }
    };

    private AwaitingTask() {
    }

    /** {@code context} with the calling task as the subscription's awaiter; outside a task, with none. */
    static Context carry(Context context) {
        Task<?> task = LoopInternals.currentTaskOrNull();
        return task == null ? context.delete(KEY) : context.put(KEY, task);
    }

    /** {@code body}, recording the subscriber's awaiting task (if any) as its own task's awaiter while it runs. */
    static <T> ProducerCoroutine<T> recorded(ContextView subscriberContext, ProducerCoroutine<T> body) {
        return AwaitedByEdges.whileRunning(subscriberContext.getOrDefault(KEY, null) instanceof Task<?> t ? t : null, body);
    }
}
