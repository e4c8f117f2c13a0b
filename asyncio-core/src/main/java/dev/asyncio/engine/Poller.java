package dev.asyncio.engine;

import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * How an idle loop waits: until a deadline, or until {@link #wakeup()} is called from any thread
 * (a threadsafe call, a clock that moved), and, once the loop has I/O, which channels became ready.
 *
 * <p>A loop without I/O parks its turn-holding thread and pays nothing for a selector. The first
 * channel registered attaches an {@link Io} (the loop's selector, {@link #io}); from then on, while any
 * channel is registered, the loop waits in it instead and ready channels' callbacks join the ready queue.
 */
public final class Poller {
    private volatile Thread waiter;
    private volatile boolean signalled;
    /** Set on the turn while a blocking select is in progress; read by {@link #wakeup()}. */
    private volatile boolean selecting;

    private volatile Io io;

    /**
     * The loop's I/O selector as the poller sees it; {@link SelectorPoller} implements it on a
     * {@code java.nio.channels.Selector}. Every method but {@link #wakeupSelector()} runs on the loop's turn.
     */
    public interface Io {
        /** @return whether a registered channel has a non-empty interest set, so that the loop selects */
        boolean hasRegistrations();

        /** Collects what is ready without waiting. */
        void pollNow();

        /**
         * Waits for I/O or a wake-up.
         *
         * @param timeoutNanos the longest wait; negative: without limit
         */
        void pollBlocking(long timeoutNanos);

        /** Ends a blocking {@link #pollBlocking}; any thread. */
        void wakeupSelector();

        /** Releases the selector when the loop closes. */
        void close();
    }

    /**
     * Waits, on the loop's turn.
     *
     * @param timeoutNanos 0 to only collect what is ready, negative to wait without a deadline
     */
    public void poll(long timeoutNanos) {
        Io s = io;
        if (s != null && s.hasRegistrations()) {
            if (timeoutNanos == 0) {
                s.pollNow();
                return;
            }
            // Dekker pairing with wakeup(): publish "selecting" before reading "signalled".
            selecting = true;
            if (signalled) {
                selecting = false;
                s.pollNow();
            } else {
                s.pollBlocking(timeoutNanos);
                selecting = false;
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
    public boolean isWaiting() {
        return waiter != null || selecting;
    }

    /** Ends the current or next {@link #poll}; thread-safe. */
    public void wakeup() {
        signalled = true;
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
        Io s = io;
        if (s != null && selecting) {
            s.wakeupSelector();
        }
    }

    /**
     * The loop's selector, created on first use (on the loop's turn, or before the loop runs).
     *
     * @param factory makes the selector the first time
     * @return the poller's selector
     */
    public Io io(Supplier<? extends Io> factory) {
        Io s = io;
        if (s == null) {
            s = factory.get();
            io = s;
        }
        return s;
    }

    /** @return the selector if one was attached, else {@code null} */
    public Io ioOrNull() {
        return io;
    }

    /** Releases the poller's resources when the loop closes. */
    public void close() {
        Io s = io;
        if (s != null) {
            s.close();
        }
    }
}
