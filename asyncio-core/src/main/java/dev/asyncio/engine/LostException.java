package dev.asyncio.engine;

import java.lang.ref.Cleaner;

/**
 * The record of an exception set on a future and not yet retrieved, kept by {@link UnretrievedExceptions}.
 * Reported as "… exception was never retrieved" when the future is collected (its cleaner action is
 * {@link #collected()}, bound to this record, which must not refer to the future) or when the loop closes,
 * whichever comes first; dropped once retrieved. It is settled once: exactly one of the three happens.
 */
public final class LostException {
    private final UnretrievedExceptions owner;
    private final Throwable exception;
    private final String kind;
    private final String description;
    Cleaner.Cleanable cleanable;
    private volatile boolean settled;

    LostException(UnretrievedExceptions owner, Throwable exception, String kind, String description) {
        this.owner = owner;
        this.exception = exception;
        this.kind = kind;
        this.description = description;
    }

    /** The exception was seen by someone: nothing to report. On the loop's turn. */
    public void retrieved() {
        if (!settled) {
            settled = true;
            owner.untrack(this);
            cleanable.clean();
        }
    }

    /** The cleaner action: the future became unreachable. On the cleaner thread. */
    void collected() {
        if (!settled) {
            settled = true;
            owner.reportCollected(this);
        }
    }

    /** At loop close. */
    void reportNow() {
        if (!settled) {
            settled = true;
            cleanable.clean();
            owner.reportNow(this);
        }
    }

    /** @return asyncio's message, "Task exception was never retrieved" and the future as it printed */
    public String message() {
        return kind + " exception was never retrieved\n" + kind.toLowerCase() + ": " + description;
    }

    /** @return the exception never retrieved */
    public Throwable exception() {
        return exception;
    }
}
