package dev.asyncio;

import java.util.Objects;

/**
 * asyncio 3.14's {@code FrameCallGraphEntry}: one frame of a {@link FutureCallGraph}'s call stack.
 *
 * <p>asyncio's entry holds a live Python frame object (code, line, generator); here a coroutine is plain
 * Java on a virtual thread, so the entry holds the {@link StackTraceElement} of that thread's frame: class,
 * method, file and line, as {@link Thread#getStackTrace()} reports it (docs/asyncio-mapping.md,
 * "Debugging and introspection"). There is no "async" tag as asyncio prints for coroutine frames: every frame of a
 * task's thread is part of its coroutine.
 *
 * @param frame the frame, never {@code null}
 */
public record FrameCallGraphEntry(StackTraceElement frame) {
    /**
     * @param frame the frame
     * @throws NullPointerException if {@code frame} is {@code null}
     */
    public FrameCallGraphEntry {
        Objects.requireNonNull(frame, "frame");
    }
}
