package dev.asyncio;

import java.util.concurrent.locks.LockSupport;

/**
 * How an idle loop waits: until a deadline, or until {@link #wakeup()} is called from any thread
 * (a threadsafe call, a clock that moved), and, once the loop has I/O, which channels became ready.
 *
 * <p>A loop without I/O parks its turn-holding thread and pays nothing for a selector. The first
 * channel registered through {@link EventLoopIo} attaches a {@link SelectorPoller} ({@link #io()});
 * from then on, while any channel is registered, the loop waits in {@code Selector.select} instead and
 * ready channels' callbacks join the ready queue.
 */
class Poller {
    private volatile Thread waiter;
    private volatile boolean signalled;
    private volatile SelectorPoller io;

    /**
     * Waits, on the loop's turn.
     *
     * @param timeoutNanos 0 to only collect what is ready, negative to wait without a deadline
     */
    void poll(long timeoutNanos) {
        SelectorPoller s = io;
        if (s != null && s.hasRegistrations()) {
            if (timeoutNanos == 0) {
                s.pollNow();
                return;
            }
            // Dekker pairing with wakeup(): publish "selecting" before reading "signalled".
            s.selecting = true;
            if (signalled) {
                s.selecting = false;
                s.pollNow();
            } else {
                s.pollBlocking(timeoutNanos);
                s.selecting = false;
            }
            signalled = false;
            return;
        }
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

    /** @return whether the loop is in a waiting {@link #poll} (parked, or in a blocking select); any thread */
    boolean isWaiting() {
        if (waiter != null) {
            return true;
        }
        SelectorPoller s = io;
        return s != null && s.selecting;
    }

    /** Ends the current or next {@link #poll}; thread-safe. */
    void wakeup() {
        signalled = true;
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
        SelectorPoller s = io;
        if (s != null && s.selecting) {
            s.wakeupSelector();
        }
    }

    /**
     * The loop's selector, created on first use (on the loop's turn, or before the loop runs).
     *
     * @param owner the loop this poller belongs to
     */
    SelectorPoller io(EventLoop owner) {
        SelectorPoller s = io;
        if (s == null) {
            s = new SelectorPoller(owner);
            io = s;
        }
        return s;
    }

    /** @return the selector if one was attached, else {@code null} */
    SelectorPoller ioOrNull() {
        return io;
    }

    /** Releases the poller's resources when the loop closes. */
    void close() {
        SelectorPoller s = io;
        if (s != null) {
            s.close();
        }
    }
}
