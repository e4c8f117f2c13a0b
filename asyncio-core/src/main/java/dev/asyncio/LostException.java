package dev.asyncio;

import java.lang.ref.Cleaner;

/**
 * The record of an exception set on a future and not yet retrieved. Reported as "… exception was
 * never retrieved" when the future is collected (this is its {@link Cleaner} action, so it must not
 * refer to the future) or when the loop closes, whichever comes first; dropped once retrieved.
 */
final class LostException {
    final EventLoop loop;
    final Throwable exception;
    final String kind;
    final String description;
    Cleaner.Cleanable cleanable;
    private volatile boolean settled;

    LostException(EventLoop loop, Throwable exception, String kind, String description) {
        this.loop = loop;
        this.exception = exception;
        this.kind = kind;
        this.description = description;
    }

    /** The exception was seen by someone: nothing to report. */
    void retrieved() {
        if (!settled) {
            settled = true;
            loop.engine.unretrieved.untrack(this);
            cleanable.clean();
        }
    }

    /**
     * The future's {@link Cleaner} action ({@code CLEANER.register(future, lost::collected)}): the future
     * became unreachable; bound to this object, which does not refer to the future.
     */
    void collected() {
        if (!settled) {
            settled = true;
            loop.engine.unretrieved.reportCollected(this);
        }
    }

    /** At loop close. */
    void reportNow() {
        if (!settled) {
            settled = true;
            cleanable.clean();
            loop.engine.unretrieved.reportNow(this);
        }
    }

    ExceptionContext context() {
        return new ExceptionContext(kind + " exception was never retrieved\n" + kind.toLowerCase() + ": " + description,
                exception, null, null);
    }
}
