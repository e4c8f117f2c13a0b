package dev.asyncio;

/**
 * What the loop tells its exception handler, asyncio's context dict: a message and, where known, the
 * exception, the future or task, and the callback handle involved.
 *
 * @param message what happened, e.g. "Task exception was never retrieved"; never {@code null}
 * @param exception the exception, or {@code null}
 * @param future the future or task concerned, or {@code null}
 * @param handle the callback handle concerned, or {@code null}
 */
public record ExceptionContext(String message, Throwable exception, Future<?> future, Handle handle) {
    /**
     * @param message what happened
     * @param exception the exception, or {@code null}
     * @return a context with only a message and an exception
     */
    public static ExceptionContext of(String message, Throwable exception) {
        return new ExceptionContext(message, exception, null, null);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(message);
        if (future != null) {
            sb.append("\n").append(future instanceof Task ? "task: " : "future: ").append(future);
        }
        if (handle != null) {
            sb.append("\nhandle: ").append(handle);
        }
        return sb.toString();
    }
}
