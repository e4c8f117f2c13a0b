package dev.asyncio.rxjava3;

import dev.asyncio.Asyncio;
import dev.asyncio.Task;
import dev.asyncio.flow.ProducerCoroutine;
import dev.asyncio.internal.AwaitedByEdges;
import dev.asyncio.internal.LoopInternals;

/**
 * The awaited-by edge of asyncio 3.14's call graph across the RxJava bridge: while a task subscribes to a source
 * in order to await or iterate it, a coroutine source ({@link RxCoroutines#single}, {@code flowable}, …)
 * subscribed on that same thread records the task as the awaiter of the producer task it starts, on whichever
 * loop ({@link Asyncio#futureAddToAwaitedBy}), until that task is done. RxJava has no subscriber context to
 * carry it in, so it is a thread-local set around the subscribe call; a subscription that hops threads
 * ({@code subscribeOn}) records no edge.
 */
final class AwaitingTask {
    private static final ThreadLocal<Task<?>> SUBSCRIBING = new ThreadLocal<>();

    private AwaitingTask() {
    }

    /** Runs {@code subscribe} with the calling task (if any) as the awaiter of what it starts here. */
    static void subscribe(Runnable subscribe) {
        Task<?> before = SUBSCRIBING.get();
        SUBSCRIBING.set(LoopInternals.currentTaskOrNull());
        try {
            subscribe.run();
        } finally {
            if (before == null) {
                SUBSCRIBING.remove();
            } else {
                SUBSCRIBING.set(before);
            }
        }
    }

    /** @return the task awaiting the subscription being made on this thread, or {@code null} */
    static Task<?> current() {
        return SUBSCRIBING.get();
    }

    /** On {@code task}'s loop's turn: records {@code awaiter} (if any) as its awaiter until it is done. */
    static void record(Task<?> task, Task<?> awaiter) {
        AwaitedByEdges.untilDone(task, awaiter);
    }

    /** {@code body}, recording this thread's awaiting task (if any) as its own task's awaiter while it runs. */
    static <T> ProducerCoroutine<T> recorded(ProducerCoroutine<T> body) {
        return AwaitedByEdges.whileRunning(current(), body);
    }
}
