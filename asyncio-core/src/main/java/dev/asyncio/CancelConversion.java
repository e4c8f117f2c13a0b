package dev.asyncio;

/**
 * What a timeout or {@link TaskGroup} closed by try-with-resources decided that one
 * {@link CancelledError} leaving it stands for.
 *
 * <p>Why this exists: asyncio's {@code __aexit__} sees the exception leaving the block and may replace
 * it ({@code CancelledError} → {@code TimeoutError} or {@code ExceptionGroup}) or swallow it. Java's
 * {@code close()} cannot see the body's exception, and what it throws while one is in flight is only
 * added to it as suppressed (JLS 14.20.3). So the scope's {@code close()} records its decision here,
 * on the task, keyed by the very {@code CancelledError} object the task last received at a
 * suspension; whoever sees that object next applies it: the enclosing lambda-form scope, the
 * coroutine's own {@code catch} through {@link Asyncio#rethrowCancelled}, or the task's end.
 * Matching by identity keeps a stale record from touching an unrelated cancellation.
 */
final class CancelConversion {
    final CancelledError cancel;
    /** The exception to raise instead, or {@code null} to end the scope quietly (a cancelled TaskGroup). */
    final RuntimeException replacement;

    private CancelConversion(CancelledError cancel, RuntimeException replacement) {
        this.cancel = cancel;
        this.replacement = replacement;
    }

    static void record(Task<?> task, CancelledError cancel, RuntimeException replacement) {
        task.cancelConversion = new CancelConversion(cancel, replacement);
    }

    /** The recorded decision about {@code error} in {@code task}, or {@code null} if there is none. */
    static CancelConversion of(Task<?> task, Throwable error) {
        CancelConversion c = task == null ? null : task.cancelConversion;
        if (c != null && c.cancel == error) {
            return c;
        }
        return null;
    }

    /**
     * What a lambda-form scope should treat its body's exception as: the recorded replacement of a
     * {@code CancelledError}, else the exception itself. A recorded "end quietly" is not applied here:
     * the code after the inner scope never ran, so the outer scope still sees a cancellation.
     */
    static Throwable resolve(Task<?> task, Throwable error) {
        CancelConversion c = of(task, error);
        if (c != null && c.replacement != null) {
            task.cancelConversion = null;
            return c.replacement;
        }
        return error;
    }

    /** At the end of a task's coroutine: the exception to end it with instead of {@code cancel}, or {@code null}. */
    static Throwable replacementAtTaskEnd(Task<?> task, CancelledError cancel) {
        CancelConversion c = of(task, cancel);
        if (c == null) {
            return null;
        }
        task.cancelConversion = null;
        return c.replacement;
    }
}
