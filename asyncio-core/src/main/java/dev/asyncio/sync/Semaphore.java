package dev.asyncio.sync;

import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.engine.LoopBinding;
import java.util.ArrayDeque;

/**
 * asyncio's {@code Semaphore}: a counter of permits for the coroutines of one event loop.
 * {@link #acquire()} takes a permit, suspending while there is none; {@link #release()} gives one back.
 *
 * <pre>{@code
 * Semaphore slots = new Semaphore(10);
 * try (var held = slots.acquire()) {      // async with slots:
 *     download(url);                      // at most 10 at once
 * }
 * }</pre>
 *
 * <p><b>Fairness</b> is asyncio 3.12+'s: permits go to waiters in FIFO order; a coroutine that arrives
 * while others wait queues behind them even if a permit is free; a waiter handed a permit that is
 * cancelled before it runs gives the permit back and it goes to the next waiter; and a waiter that
 * wakes up hands any further free permits to the waiters behind it, so a burst of releases wakes as
 * many waiters as there are permits. No permit is ever lost to a cancellation.
 *
 * <p><b>Threads.</b> Not thread-safe, like asyncio's: use it on one loop (see the
 * {@linkplain dev.asyncio.sync package}).
 */
public class Semaphore implements Releasable {
    final LoopBinding binding = new LoopBinding(this);
    /** Futures of the coroutines waiting in {@link #acquire()}, oldest first; created on first contention. */
    private ArrayDeque<Future<Void>> waiters;
    /** Free permits, minus those already handed to woken waiters that have not run yet. */
    int value;

    /** Creates a semaphore with one permit. */
    public Semaphore() {
        this(1);
    }

    /**
     * Creates a semaphore with {@code value} permits.
     *
     * @param value the initial number of permits
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public Semaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("Semaphore initial value must be >= 0, got " + value);
        }
        this.value = value;
    }

    /**
     * Whether {@link #acquire()} would suspend (asyncio's {@code locked()}): no permit is free, or some
     * coroutine that is not cancelled is already waiting (FIFO: it goes first).
     *
     * @return whether an acquire would have to wait
     */
    public boolean isLocked() {
        if (value == 0) {
            return true;
        }
        ArrayDeque<Future<Void>> w = waiters;
        if (w != null) {
            for (Future<Void> f : w) {
                if (!f.isCancelled()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Takes a permit, suspending the calling coroutine until one is free and the waiters ahead of it
     * are served (asyncio's {@code await sem.acquire()}). Returns at once, without yielding, if
     * {@link #isLocked()} is false.
     *
     * @return a permit whose {@link Permit#close()} releases it, for try-with-resources; it may be
     *     ignored in favour of {@link #release()}
     * @throws CancelledError if the calling task is cancelled while waiting; no permit is then taken
     *     (one that was already handed to it goes to the next waiter)
     * @throws IllegalStateException if it has to wait outside a coroutine, or the semaphore is bound to
     *     another loop
     */
    public Permit acquire() {
        binding.checkAccess("Semaphore.acquire()");
        if (!isLocked()) {
            value--;
            return new HeldPermit(this);
        }
        EventLoop loop = binding.loopForWait("Semaphore.acquire()");
        if (waiters == null) {
            waiters = new ArrayDeque<>();
        }
        Future<Void> fut = loop.createFuture();
        waiters.addLast(fut);
        try {
            try {
                fut.await();
            } finally {
                waiters.remove(fut);
            }
        } catch (CancelledError e) {
            if (fut.isDone() && !fut.isCancelled()) {
                // wakeUpNext() took a permit for us, but we will not use it: give it back.
                value++;
            }
            throw e;
        } finally {
            // Waiters that arrived behind us had to queue (FIFO) even if permits were free: wake as many
            // of them as there are permits.
            while (value > 0) {
                if (!wakeUpNext()) {
                    break;
                }
            }
        }
        return new HeldPermit(this);
    }

    /**
     * Gives a permit back and wakes the first waiter, if any (asyncio's {@code release()}). A plain
     * semaphore does not check that the permit was acquired; see {@link BoundedSemaphore}.
     *
     * @throws IllegalStateException if called off the turn of the loop the semaphore is bound to
     */
    @Override
    public void release() {
        binding.checkAccess("Semaphore.release()");
        value++;
        wakeUpNext();
    }

    /** Hands one permit to the first waiter not yet woken; false if there is none. */
    private boolean wakeUpNext() {
        ArrayDeque<Future<Void>> w = waiters;
        if (w == null) {
            return false;
        }
        for (Future<Void> fut : w) {
            if (!fut.isDone()) {
                value--;
                fut.setResult(null);
                return true;
            }
        }
        return false;
    }

    /** For tests: asyncio's {@code _value}. */
    int value() {
        return value;
    }

    /** For tests: how many futures are queued. */
    int waiterCount() {
        return waiters == null ? 0 : waiters.size();
    }

    /** @return asyncio's repr: {@code <Semaphore [unlocked, value:2]>}, {@code <Semaphore [locked, waiters:1]>} */
    @Override
    public String toString() {
        String extra = isLocked() ? "locked" : "unlocked, value:" + value;
        int n = waiterCount();
        if (n > 0) {
            extra += ", waiters:" + n;
        }
        return "<" + getClass().getSimpleName() + " [" + extra + "]>";
    }
}
