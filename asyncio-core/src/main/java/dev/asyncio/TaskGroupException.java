package dev.asyncio;

import java.util.List;

/**
 * The errors of a {@link TaskGroup}, asyncio's {@code ExceptionGroup("unhandled errors in a TaskGroup",
 * ...)}: every exception raised by a child task, and by the group's body, in the order they happened.
 * A nested group's failure is one element of the outer group's list, a {@code TaskGroupException} of
 * its own, so groups nest as Python's exception groups do.
 *
 * <p>Each error is also attached as a suppressed exception, so a logged stack trace shows them all.
 * Cancellations are never collected: a cancelled child is not an error.
 */
public class TaskGroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<Throwable> exceptions;

    /**
     * Creates a group of errors.
     *
     * @param message what failed
     * @param exceptions the errors, at least one
     * @throws IllegalArgumentException if {@code exceptions} is empty
     */
    public TaskGroupException(String message, List<? extends Throwable> exceptions) {
        super(message + " (" + exceptions.size() + " sub-exception" + (exceptions.size() == 1 ? "" : "s") + ")",
                null, true, true);
        if (exceptions.isEmpty()) {
            throw new IllegalArgumentException("a TaskGroupException needs at least one exception");
        }
        this.exceptions = List.copyOf(exceptions);
        for (Throwable e : this.exceptions) {
            if (e != this) {
                addSuppressed(e);
            }
        }
    }

    /**
     * Returns the collected errors (Python's {@code ExceptionGroup.exceptions}).
     *
     * @return the errors, in the order they were collected (unmodifiable)
     */
    public List<Throwable> exceptions() {
        return exceptions;
    }
}
