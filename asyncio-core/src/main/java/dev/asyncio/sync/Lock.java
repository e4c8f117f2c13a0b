package dev.asyncio.sync;

import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.engine.LoopBinding;
import java.util.ArrayDeque;

/**
 * asyncio's {@code Lock}: a mutual-exclusion lock for the coroutines of one event loop, fair (FIFO) and
 * not owned by a task (any coroutine may release it, as in asyncio).
 *
 * <pre>{@code
 * Lock lock = new Lock();
 * try (var held = lock.acquire()) {     // async with lock:
 *     balance += amount;
 * }
 * }</pre>
 *
 * <p><b>Fairness.</b> Waiters acquire in the order they started waiting; a coroutine that arrives while
 * others wait queues behind them even if the lock is momentarily free (no barging). Cancellation never
 * strands the lock: a waiter cancelled while queued leaves the queue, and a waiter that was woken but
 * is cancelled before it runs passes the wake-up on to the next waiter (asyncio 3.12+'s
 * {@code _wake_up_first}).
 *
 * <p><b>Threads.</b> Not thread-safe, like asyncio's: use it from the coroutines and callbacks of one
 * loop; see the {@linkplain dev.asyncio.sync package} for how it binds to that loop. {@link #acquire()}
 * may suspend and so must be called from a coroutine when the lock is contended.
 */
public final class Lock implements Releasable {
    private final LoopBinding binding = new LoopBinding(this);
    /** Futures of the coroutines waiting in {@link #acquire()}, oldest first; created on first contention. */
    private ArrayDeque<Future<Void>> waiters;
    private boolean locked;

    /** Creates an unlocked lock, not yet bound to any loop. */
    public Lock() {
    }

    /** @return whether the lock is held (asyncio's {@code locked()}); callable from any thread */
    public boolean isLocked() {
        return locked;
    }

    /**
     * Acquires the lock, suspending the calling coroutine until it is this coroutine's turn (asyncio's
     * {@code await lock.acquire()}). Returns at once, without yielding, if the lock is free and no one
     * is waiting.
     *
     * @return a permit whose {@link Permit#close()} releases the lock, for try-with-resources; it may be
     *     ignored in favour of {@link #release()}
     * @throws CancelledError if the calling task is cancelled while waiting; the lock is then not held
     *     and the next waiter is woken if the lock is free
     * @throws IllegalStateException if it has to wait outside a coroutine, or the lock is bound to
     *     another loop
     */
    public Permit acquire() {
        binding.checkAccess("Lock.acquire()");
        if (!locked && allWaitersCancelled()) {
            locked = true;
            return new HeldPermit(this);
        }
        EventLoop loop = binding.loopForWait("Lock.acquire()");
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
            // Woken (fut done) but cancelled before running, or cancelled while queued: either way we do
            // not take the lock, so if it is free the head waiter must be told, or it would wait forever.
            if (!locked) {
                wakeUpFirst();
            }
            throw e;
        }
        locked = true;
        return new HeldPermit(this);
    }

    /**
     * Releases the lock and wakes the first waiter, if any (asyncio's {@code release()}). Any coroutine
     * or callback of the loop may release it, not only the one that acquired it.
     *
     * @throws IllegalStateException if the lock is not held ("Lock is not acquired"), or if called off
     *     the turn of the loop the lock is bound to
     */
    @Override
    public void release() {
        binding.checkAccess("Lock.release()");
        if (!locked) {
            throw new IllegalStateException("Lock is not acquired: release() must follow a successful acquire() "
                    + "(and a Permit must not be closed after release() was called for it)");
        }
        locked = false;
        wakeUpFirst();
    }

    /** Wakes the head waiter unless it is already woken (done): at most one coroutine is ever on its way. */
    private void wakeUpFirst() {
        ArrayDeque<Future<Void>> w = waiters;
        if (w == null || w.isEmpty()) {
            return;
        }
        Future<Void> first = w.peekFirst();
        if (!first.isDone()) {
            first.setResult(null);
        }
    }

    /** Jumping the queue when every waiter is a cancelled one (not yet unlinked) keeps FIFO order intact. */
    private boolean allWaitersCancelled() {
        ArrayDeque<Future<Void>> w = waiters;
        if (w == null || w.isEmpty()) {
            return true;
        }
        for (Future<Void> f : w) {
            if (!f.isCancelled()) {
                return false;
            }
        }
        return true;
    }

    /** For tests: how many futures are queued (asyncio tests look at {@code len(lock._waiters)}). */
    int waiterCount() {
        return waiters == null ? 0 : waiters.size();
    }

    /** For tests: the queued waiter futures, oldest first. */
    ArrayDeque<Future<Void>> waiterFutures() {
        return waiters == null ? new ArrayDeque<>() : waiters;
    }

    /** @return asyncio's repr: {@code <Lock [locked, waiters:2]>} */
    @Override
    public String toString() {
        String extra = locked ? "locked" : "unlocked";
        int n = waiterCount();
        if (n > 0) {
            extra += ", waiters:" + n;
        }
        return "<Lock [" + extra + "]>";
    }
}
