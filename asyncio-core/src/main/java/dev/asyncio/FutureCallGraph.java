package dev.asyncio;

import java.util.List;
import java.util.Objects;

/**
 * asyncio 3.14's {@code FutureCallGraph}: a future (or task), the frames it is suspended in, and the graphs
 * of the futures that await it, as {@link Asyncio#captureCallGraph(Future)} captures them.
 *
 * <p>For a {@link Task} the call stack is the coroutine's frames, most recent first (asyncio's order too);
 * for a plain {@link Future}, which runs no code, it is empty. {@link #awaitedBy()} holds one graph per
 * future awaiting this one: the tasks suspended in {@code await} on it, and the edges that
 * {@code gather}, {@code TaskGroup}, {@code shield}, the Reactor bridge's {@code await} or
 * {@link Asyncio#futureAddToAwaitedBy} recorded.
 *
 * <p>A snapshot: the lists are immutable, the future itself goes on changing.
 *
 * @param future the future or task this node describes
 * @param callStack its frames, most recent first; empty for a plain future, a task that has not started,
 *     or when the capture's {@code limit} was 0
 * @param awaitedBy the graphs of the futures that await {@code future}
 */
public record FutureCallGraph(Future<?> future, List<FrameCallGraphEntry> callStack, List<FutureCallGraph> awaitedBy) {
    /**
     * @param future the future or task
     * @param callStack its frames, most recent first (copied)
     * @param awaitedBy the graphs of its awaiters (copied)
     * @throws NullPointerException if an argument or an element is {@code null}
     */
    public FutureCallGraph {
        Objects.requireNonNull(future, "future");
        callStack = List.copyOf(callStack);
        awaitedBy = List.copyOf(awaitedBy);
    }
}
