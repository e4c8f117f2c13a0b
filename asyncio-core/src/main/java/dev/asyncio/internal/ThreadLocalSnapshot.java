package dev.asyncio.internal;

/**
 * Thread-local values captured on one thread, to be set on another: what a task or a {@code toThread}
 * job carries from the thread that created it (see {@link ThreadLocalPropagation}).
 *
 * <p>Python has no counterpart: there every ambient value is a {@code contextvars.ContextVar}. On the JVM
 * libraries keep theirs in {@link ThreadLocal}s (SLF4J's MDC, a tracer's current span), and those must
 * follow the coroutine as its {@link dev.asyncio.ContextVar}s do.
 *
 * <p>Not part of the public API: this package is exported only to the project's own modules.
 */
@FunctionalInterface
public interface ThreadLocalSnapshot {

    /**
     * Sets the captured values on the calling thread.
     *
     * @return what puts back the values it replaced; close it on the same thread, once the work is over
     */
    Scope restore();

    /** Undoes one {@link #restore()}. */
    interface Scope extends AutoCloseable {
        /** Puts back, on the calling thread, the values the restore replaced; throws nothing checked. */
        @Override
        void close();
    }
}
