package dev.asyncio.sync;

import dev.asyncio.CancelledError;

/**
 * asyncio's {@code Barrier}: lets a fixed number of coroutines ({@link #parties()}) wait for each other.
 * Each calls {@link #await()}; when the last one arrives, all of them continue, and the barrier can be
 * used again.
 *
 * <pre>{@code
 * Barrier ready = new Barrier(3);
 * // in each of 3 tasks:
 * int index = ready.await();      // async with barrier as index:  /  index = await barrier.wait()
 * }</pre>
 *
 * <p><b>States</b>, as asyncio's: <i>filling</i> (coroutines arrive), <i>draining</i> (the last one
 * arrived; the waiting ones leave, and newcomers wait until all have left), <i>resetting</i>
 * ({@link #reset()} while coroutines wait: they get {@link BrokenBarrierError}) and <i>broken</i>
 * ({@link #abort()}: every current and later {@code await()} gets {@link BrokenBarrierError} until
 * {@link #reset()}).
 *
 * <p><b>Names.</b> {@code wait()} is {@link #await()} ({@code wait} is a final method of
 * {@link Object}); {@code n_waiting} and {@code broken} are {@link #nWaiting()} and {@link #isBroken()}.
 * asyncio's {@code async with barrier as i} only calls {@code wait()} (its exit does nothing), so its
 * Java form is simply {@code int i = barrier.await();}.
 *
 * <p><b>Threads.</b> Not thread-safe, like asyncio's: use it on one loop (see the
 * {@linkplain dev.asyncio.sync package}). Built, as asyncio's, on a {@link Condition}.
 */
public final class Barrier {
    private enum State {
        FILLING, DRAINING, RESETTING, BROKEN
    }

    private final Condition cond = new Condition();
    private final int parties;
    private State state = State.FILLING;
    /** Coroutines inside {@link #await()}: waiting while filling, or not yet left while draining. */
    private int count;

    /**
     * Creates a barrier for {@code parties} coroutines.
     *
     * @param parties how many coroutines must call {@link #await()} before all continue
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be >= 1, got " + parties);
        }
        this.parties = parties;
    }

    /**
     * Waits until {@link #parties()} coroutines have called this method, then returns this coroutine's
     * arrival index, from 0 to {@code parties() - 1}, unique among the coroutines of one pass (asyncio's
     * {@code await barrier.wait()}). While the barrier drains or resets, a newcomer first waits for it
     * to be filling again.
     *
     * @return the arrival index
     * @throws BrokenBarrierError if the barrier is broken ({@link #abort()}), or is aborted or reset
     *     while this coroutine waits
     * @throws CancelledError if the calling task is cancelled; it leaves the barrier, which stays usable
     * @throws IllegalStateException if called outside a coroutine, or the barrier is bound to another loop
     */
    public int await() {
        try (Permit held = cond.acquire()) {
            block();
            try {
                int index = count++;
                if (index + 1 == parties) {
                    releaseAll();
                } else {
                    waitForRelease();
                }
                return index;
            } finally {
                count--;
                exit();
            }
        }
    }

    /** Waits while the barrier drains or resets; refuses a broken one. */
    private void block() {
        cond.awaitFor(() -> state != State.DRAINING && state != State.RESETTING);
        if (state == State.BROKEN) {
            throw new BrokenBarrierError("Barrier aborted");
        }
    }

    private void releaseAll() {
        state = State.DRAINING;
        cond.signalAll();
    }

    private void waitForRelease() {
        cond.awaitFor(() -> state != State.FILLING);
        if (state == State.BROKEN || state == State.RESETTING) {
            throw new BrokenBarrierError("Abort or reset of barrier");
        }
    }

    /** The last coroutine to leave lets the barrier fill again and wakes those waiting to enter. */
    private void exit() {
        if (count == 0) {
            if (state == State.RESETTING || state == State.DRAINING) {
                state = State.FILLING;
            }
            cond.signalAll();
        }
    }

    /**
     * Returns the barrier to its initial, filling state (asyncio's {@code await barrier.reset()}):
     * coroutines waiting in it get {@link BrokenBarrierError}, and a broken barrier becomes usable again.
     * Suspends only while the barrier's internal lock is contended.
     *
     * @throws CancelledError if the calling task is cancelled while waiting for the internal lock
     * @throws IllegalStateException if it has to wait outside a coroutine, or the barrier is bound to
     *     another loop
     */
    public void reset() {
        try (Permit held = cond.acquire()) {
            if (count > 0) {
                if (state != State.RESETTING) {
                    state = State.RESETTING;
                }
            } else {
                state = State.FILLING;
            }
            cond.signalAll();
        }
    }

    /**
     * Puts the barrier into the broken state (asyncio's {@code await barrier.abort()}): every coroutine
     * waiting in it, and every later {@link #await()} until {@link #reset()}, gets
     * {@link BrokenBarrierError}. Useful when one party fails and the others must not wait forever.
     *
     * @throws CancelledError if the calling task is cancelled while waiting for the internal lock
     * @throws IllegalStateException if it has to wait outside a coroutine, or the barrier is bound to
     *     another loop
     */
    public void abort() {
        try (Permit held = cond.acquire()) {
            state = State.BROKEN;
            cond.signalAll();
        }
    }

    /** @return how many coroutines must call {@link #await()} to pass the barrier */
    public int parties() {
        return parties;
    }

    /** @return how many coroutines wait in the barrier while it fills (0 while draining, resetting or broken) */
    public int nWaiting() {
        return state == State.FILLING ? count : 0;
    }

    /** @return whether the barrier is broken ({@link #abort()} was called and no {@link #reset()} since) */
    public boolean isBroken() {
        return state == State.BROKEN;
    }

    /** For tests: asyncio's {@code _count}, coroutines inside {@code await()}. */
    int count() {
        return count;
    }

    /** @return asyncio's repr: {@code <Barrier [filling, waiters:2/5]>}, {@code <Barrier [broken]>} */
    @Override
    public String toString() {
        String extra = state.name().toLowerCase(java.util.Locale.ROOT);
        if (state != State.BROKEN) {
            extra += ", waiters:" + nWaiting() + "/" + parties;
        }
        return "<Barrier [" + extra + "]>";
    }
}
