package dev.asyncio.internal;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Task;

/** The task whose step the calling thread runs, asked without an exception for "none". */
public final class CurrentTask {
    private CurrentTask() {
    }

    /**
     * @return the current task of the loop whose turn this thread holds; {@code null} in a callback or
     *     when this thread holds no loop's turn
     */
    public static Task<?> orNull() {
        // Asyncio.currentTask() throws only when no loop runs on this thread, which is checked first.
        return LoopInternals.runningLoopOrNull() == null ? null : Asyncio.currentTask();
    }
}
