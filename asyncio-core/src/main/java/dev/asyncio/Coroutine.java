package dev.asyncio;

/**
 * A coroutine: plain sequential code that runs as an asyncio task on its own virtual thread.
 *
 * <p>This is asyncio's {@code async def}: any method it calls, however deep, may suspend by awaiting
 * ({@link Future#await()}, {@link Asyncio#sleep(java.time.Duration)}, a queue's {@code get()}, …). No
 * method needs a special colour to do so. The body runs only while its loop has handed it the turn;
 * between two suspension points it runs alone, so coroutines of one loop share state without locks.
 *
 * <p>Exceptions thrown by the body, checked or not, become the task's exception and reach whoever
 * awaits the task as the same object (see {@link Future#await()}).
 *
 * @param <T> the result type; a coroutine without a result is a {@link VoidCoroutine}
 */
@FunctionalInterface
public interface Coroutine<T> {
    /**
     * Runs the coroutine's body.
     *
     * @return the task's result, may be {@code null}
     * @throws Exception any exception, which becomes the task's exception
     */
    T call() throws Exception;
}
