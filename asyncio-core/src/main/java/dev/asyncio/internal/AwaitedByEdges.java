package dev.asyncio.internal;

import dev.asyncio.Asyncio;
import dev.asyncio.Task;
import dev.asyncio.flow.ProducerCoroutine;
import java.util.Objects;

/**
 * The bridges' side of asyncio 3.14's call graph: a task that awaits a publisher or an RxJava source whose
 * producer is a coroutine (a {@code mono}, {@code flux}, {@code single}, {@code flowable}, …, on any loop) is
 * recorded as that producer task's awaiter ({@link Asyncio#futureAddToAwaitedBy}), so that
 * {@link Asyncio#captureCallGraph} and {@code dev.asyncio.tools.Ps pstree} show one tree across loops. Each bridge
 * finds the awaiting task its own way (Reactor's subscriber {@code Context}, a thread-local around RxJava's
 * subscribe) and records the edge here.
 */
public final class AwaitedByEdges {
    private AwaitedByEdges() {
    }

    /**
     * {@code body}, made to record {@code awaiter} as the awaiter of the task that runs it, from its start until it
     * returns or throws. The edge is recorded on the producer's loop, whatever loop {@code awaiter} runs on.
     *
     * @param awaiter the task awaiting what {@code body} produces, or {@code null} for none
     * @param body the producer coroutine
     * @param <T> its element type
     * @return {@code body} itself when {@code awaiter} is {@code null}, else the recording wrapper
     */
    public static <T> ProducerCoroutine<T> whileRunning(Task<?> awaiter, ProducerCoroutine<T> body) {
        Objects.requireNonNull(body, "body");
        if (awaiter == null) {
            return body;
        }
        return sink -> {
            Task<?> self = Asyncio.currentTask();
            Asyncio.futureAddToAwaitedBy(self, awaiter);
            try {
                body.run(sink);
            } finally {
                Asyncio.futureDiscardFromAwaitedBy(self, awaiter);
            }
        };
    }

    /**
     * Records {@code awaiter} as the awaiter of {@code task} until {@code task} is done. On {@code task}'s loop's
     * turn (it adds a done callback).
     *
     * @param task the producer task
     * @param awaiter the task awaiting it, or {@code null} for none (nothing is recorded)
     * @throws IllegalStateException off {@code task}'s loop's turn
     */
    public static void untilDone(Task<?> task, Task<?> awaiter) {
        if (awaiter != null && awaiter != task) {
            Asyncio.futureAddToAwaitedBy(task, awaiter);
            task.addDoneCallback(t -> Asyncio.futureDiscardFromAwaitedBy(t, awaiter));
        }
    }
}
