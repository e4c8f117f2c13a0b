package dev.asyncio;

/**
 * asyncio's {@code TimeoutError} (Python's built-in {@code TimeoutError}): a deadline set by
 * {@code waitFor} or a {@code timeout} scope expired. Unchecked, like every exception of this library,
 * so it flows through coroutines without {@code throws} clauses.
 */
public class TimeoutError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates a timeout error without a message. */
    public TimeoutError() {
        super();
    }

    /**
     * @param message what timed out
     */
    public TimeoutError(String message) {
        super(message);
    }

    /**
     * @param message what timed out
     * @param cause the {@link CancelledError} the deadline turned into this error
     */
    public TimeoutError(String message, Throwable cause) {
        super(message, cause);
    }
}
