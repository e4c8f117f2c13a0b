package dev.asyncio;

import dev.asyncio.engine.ClockDriver;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A virtual {@link Clock} that delegates to a {@link VirtualClock} and lets a test thread wait until the
 * loop has gone idle: a loop on a virtual clock that has a pending timer calls {@link #wakeAt} exactly
 * when it has nothing runnable, did not (or could not) jump, and is about to wait for the clock to move,
 * a threadsafe call, I/O or the end of outside work. (Without any pending timer an idle loop does not
 * call {@code wakeAt}, so tests give the loop a far-off timer.)
 * Tests use it in place of a {@code Thread.sleep} that "gives the loop time to go idle" before another
 * thread acts on it: {@link #awaitIdle()} is an event, not a guess about timing.
 */
final class IdleWatchClock implements Clock {
    static {
        ClockDriver.register(IdleWatchClock.class,
                clock -> ClockDriver.calling(clock::jumpTo, (wakeup, deadline) -> clock.wakeAt(deadline, wakeup)));
    }

    /** Hang guard only: how long {@link #awaitIdle()} waits before declaring that the loop never went idle. */
    static final long HANG_GUARD_SECONDS = 30;

    private final VirtualClock delegate;
    private final Semaphore idle = new Semaphore(0);
    private final AtomicInteger waits = new AtomicInteger();

    IdleWatchClock(boolean autoJump) {
        this.delegate = new VirtualClock(autoJump);
    }

    /** @return the wrapped clock, to advance it or switch its mode */
    VirtualClock virtual() {
        return delegate;
    }

    /**
     * Blocks until the loop begins to wait once more than it has been awaited so far (each wait of the loop
     * is counted once).
     *
     * @throws AssertionError if the loop does not go idle within the hang guard
     */
    void awaitIdle() throws InterruptedException {
        if (!idle.tryAcquire(HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("the loop did not go idle within " + HANG_GUARD_SECONDS + " s: " + delegate);
        }
    }

    /** @return how many times the loop has waited for this clock so far (0: every idle moment was a jump) */
    int waits() {
        return waits.get();
    }

    @Override
    public long nanoTime() {
        return delegate.nanoTime();
    }

    @Override
    public boolean isVirtual() {
        return true;
    }

    boolean jumpTo(long deadlineNanos) {
        return delegate.jumpTo(deadlineNanos);
    }

    void wakeAt(long deadlineNanos, Runnable wakeup) {
        delegate.wakeAt(deadlineNanos, wakeup);
        waits.incrementAndGet();
        idle.release();
    }

    @Override
    public String toString() {
        return "IdleWatchClock[" + delegate + "]";
    }
}
