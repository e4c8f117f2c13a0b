package dev.asyncio;

import java.util.concurrent.CancellationException;

/**
 * asyncio's {@code CancelledError}: raised inside a coroutine at its current or next suspension point
 * when its task is cancelled, and by {@link Future#result()} of a cancelled future.
 *
 * <p>It extends {@link CancellationException} so that Java code that already handles cancellation of
 * {@link java.util.concurrent.CompletableFuture}s handles ours too. A coroutine may catch it to clean
 * up; it should then re-throw it, or call {@link Task#uncancel()} if it really means to go on.
 */
public class CancelledError extends CancellationException {
    private static final long serialVersionUID = 1L;

    /** Creates a cancellation without a message. */
    public CancelledError() {
        super();
    }

    /**
     * Creates a cancellation carrying the message given to {@code cancel(msg)}.
     *
     * @param message the cancel message, may be {@code null}
     */
    public CancelledError(String message) {
        super(message);
    }
}
