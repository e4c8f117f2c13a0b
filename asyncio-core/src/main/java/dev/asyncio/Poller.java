package dev.asyncio;

import java.util.concurrent.locks.LockSupport;

/**
 * How an idle loop waits: until a deadline, or until {@link #wakeup()} is called from any thread
 * (a threadsafe call, a clock that moved). The I/O layer replaces it with a selector that also
 * collects ready channels.
 */
class Poller {
    private volatile Thread waiter;
    private volatile boolean signalled;

    /**
     * Waits, on the loop's turn.
     *
     * @param timeoutNanos 0 to only collect what is ready, negative to wait without a deadline
     */
    void poll(long timeoutNanos) {
        if (timeoutNanos == 0) {
            return;
        }
        waiter = Thread.currentThread();
        if (!signalled) {
            if (timeoutNanos < 0) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, timeoutNanos);
            }
        }
        waiter = null;
        signalled = false;
    }

    /** Ends the current or next {@link #poll}; thread-safe. */
    void wakeup() {
        signalled = true;
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** Releases the poller's resources when the loop closes. */
    void close() {
    }
}
