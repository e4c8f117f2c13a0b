package dev.asyncio.test;

import dev.asyncio.Clock;
import dev.asyncio.internal.LoopInternals;
import dev.asyncio.internal.VirtualTimeDriver;

/**
 * The virtual clock of a {@link TestLoop}. Like the core's {@code VirtualClock} it starts at 0 and moves
 * only when the loop is idle, but it also supports the bounded moves that {@link TestLoop}'s time
 * operations need, which is why it is a {@link Clock} of its own rather than a {@code VirtualClock}:
 *
 * <ul>
 *   <li>With no operation in progress, an idle loop jumps to its next deadline in
 *       {@link TimeMode#AUTO_JUMP} mode and waits in {@link TimeMode#MANUAL} mode.</li>
 *   <li>While an {@link Operation} is in progress (e.g. {@code advanceTimeBy}), an idle loop jumps from
 *       deadline to deadline up to the operation's limit, in both modes. The first time it is idle
 *       with its next deadline beyond the limit, the operation is complete (and the clock moves to the
 *       limit, for the operations that end there).</li>
 * </ul>
 *
 * <p>The loop asks {@link #jumpTo} only when nothing is ready, no threadsafe call is queued and no
 * external work ({@code EventLoop.beginExternalWork}) is in flight, so time never moves past work the
 * loop knows is still running. A deadline of {@link Long#MAX_VALUE} means "never" (a saturated
 * infinite sleep, or an operation's sentinel timer) and is never jumped to.
 *
 * <p>Thread-safe: the loop calls {@link #jumpTo}/{@link #wakeAt} on its turn, {@link #nanoTime} is read
 * anywhere.
 */
final class TestClock implements Clock, VirtualTimeDriver {
    static {
        LoopInternals.registerVirtualTime(TestClock.class, clock -> clock);
    }

    /** A bounded time operation of {@link TestLoop}; completed once by the clock, on the loop's turn. */
    static final class Operation {
        final String name;
        final long limit;
        final boolean endsAtLimit;
        final boolean endsWhenNothingReady;
        final Runnable onDone;

        /**
         * @param name the operation, for error messages
         * @param limit the latest deadline the clock may jump to
         * @param endsAtLimit whether the clock moves to {@code limit} when the operation completes
         *     ({@code advanceTimeBy}/{@code advanceTimeTo}), or stays at the last deadline it reached
         *     ({@code advanceUntilIdle}, {@code runCurrent})
         * @param endsWhenNothingReady whether it also ends when the loop waits for in-flight work
         *     ({@code runCurrent}), not only when the next deadline is beyond the limit
         * @param onDone thread-safe action run once when the operation is complete
         */
        Operation(String name, long limit, boolean endsAtLimit, boolean endsWhenNothingReady, Runnable onDone) {
            this.name = name;
            this.limit = limit;
            this.endsAtLimit = endsAtLimit;
            this.endsWhenNothingReady = endsWhenNothingReady;
            this.onDone = onDone;
        }
    }

    private final boolean autoJump;
    private volatile long now;
    private Operation operation;
    private final Object idleLock = new Object();
    private long idleMoments;

    TestClock(boolean autoJump) {
        this.autoJump = autoJump;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public boolean isVirtual() {
        return true;
    }

    boolean isAutoJump() {
        return autoJump;
    }

    @Override
    public boolean jumpTo(long deadlineNanos) {
        Operation done;
        synchronized (this) {
            Operation op = operation;
            if (op == null) {
                if (autoJump && deadlineNanos != Long.MAX_VALUE) {
                    moveTo(deadlineNanos);
                    return true;
                }
                return false;
            }
            if (deadlineNanos <= op.limit && deadlineNanos != Long.MAX_VALUE) {
                moveTo(deadlineNanos);
                return true;
            }
            // Idle, nothing in flight, next deadline beyond the limit: everything up to it has run.
            if (op.endsAtLimit) {
                moveTo(op.limit);
            }
            operation = null;
            done = op;
        }
        done.onDone.run();
        return false;
    }

    /**
     * How many times the loop has gone idle on this clock: called {@link #wakeAt}, which it does exactly
     * when nothing is runnable and time could not jump (a timer is pending, but work is in flight or the
     * time mode is manual). Lets tests wait for "the loop is idle now" as an event, not a guess.
     */
    long idleMoments() {
        synchronized (idleLock) {
            return idleMoments;
        }
    }

    /**
     * Blocks until the loop has gone idle more than {@code seen} times ({@link #idleMoments()}).
     *
     * @param seen a count read earlier, on the loop's turn, before the work that must be in flight
     * @param guard how long to wait before failing; only matters when the loop never idles (a bug)
     * @throws AssertionError if the guard passes first
     */
    void awaitIdleMomentAfter(long seen, java.time.Duration guard) throws InterruptedException {
        long deadline = System.nanoTime() + guard.toNanos();
        synchronized (idleLock) {
            while (idleMoments <= seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the loop did not go idle within " + guard);
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(idleLock, left);
            }
        }
    }

    @Override
    public void wakeAt(long deadlineNanos, Runnable wakeup) {
        synchronized (idleLock) {
            idleMoments++;
            idleLock.notifyAll();
        }
        // Called when the loop is about to wait: nothing is ready. Only runCurrent() ends here, since the
        // advance operations must also wait for in-flight work before time may move.
        Operation done;
        synchronized (this) {
            Operation op = operation;
            if (op == null || !op.endsWhenNothingReady) {
                return;
            }
            operation = null;
            done = op;
        }
        done.onDone.run();
    }

    /**
     * Starts {@code op}.
     *
     * @throws IllegalStateException if another operation is in progress
     */
    synchronized void begin(Operation op) {
        if (operation != null) {
            throw new IllegalStateException(op.name + "() was called while " + operation.name
                    + "() is still in progress on the same TestLoop; run time operations one at a time");
        }
        operation = op;
    }

    /** Withdraws {@code op} if it has not completed (its caller was cancelled). */
    synchronized void end(Operation op) {
        if (operation == op) {
            operation = null;
        }
    }

    private void moveTo(long nanos) {
        if (nanos > now) {
            now = nanos;
        }
    }

    @Override
    public String toString() {
        return "TestClock[" + now + " ns, " + (autoJump ? "auto-jump" : "manual") + "]";
    }
}
