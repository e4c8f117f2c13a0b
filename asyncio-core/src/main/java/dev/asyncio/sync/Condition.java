package dev.asyncio.sync;

import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.engine.LoopBinding;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * asyncio's {@code Condition}: a condition variable over a {@link Lock}, for coroutines that wait
 * until another coroutine signals that some state changed.
 *
 * <pre>{@code
 * try (var held = condition.acquire()) {          // async with condition:
 *     condition.awaitFor(() -> !items.isEmpty());  //     await condition.wait_for(...)
 *     process(items.remove());
 * }
 * // elsewhere, with the lock held:  items.add(x); condition.signal();
 * }</pre>
 *
 * <p><b>Names.</b> asyncio's {@code wait()}, {@code wait_for(predicate)}, {@code notify(n)} and
 * {@code notify_all()} are {@link #await()}, {@link #awaitFor}, {@link #signal(int)} and
 * {@link #signalAll()}, as in {@link java.util.concurrent.locks.Condition}, since {@code wait} and
 * {@code notify} are final methods of {@link Object}.
 *
 * <p><b>Cancellation</b> follows asyncio 3.13: a coroutine cancelled in {@link #await()} re-acquires
 * the lock before the {@link CancelledError} leaves {@code await()} (so the enclosing try-with-resources
 * releases a lock it really holds), and a signal that reached a waiter which is then cancelled is passed
 * on to another waiter, so no wake-up is lost. As in asyncio, {@code await()} may return spuriously:
 * re-check the state, or use {@link #awaitFor}.
 *
 * <p><b>Threads.</b> Not thread-safe, like asyncio's: use it on one loop (see the
 * {@linkplain dev.asyncio.sync package}).
 */
public final class Condition {
    private final LoopBinding binding = new LoopBinding(this);
    private final Lock lock;
    private final ArrayDeque<Future<Void>> waiters = new ArrayDeque<>();

    /** Creates a condition over a new {@link Lock}. */
    public Condition() {
        this(new Lock());
    }

    /**
     * Creates a condition over {@code lock}, which other conditions or code may share (asyncio's
     * {@code Condition(lock)}).
     *
     * @param lock the underlying lock
     */
    public Condition(Lock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /** @return the underlying lock */
    public Lock getLock() {
        return lock;
    }

    /** @return whether the underlying lock is held (asyncio's {@code locked()}) */
    public boolean isLocked() {
        return lock.isLocked();
    }

    /**
     * Acquires the underlying lock; see {@link Lock#acquire()}.
     *
     * @return a permit whose {@link Permit#close()} releases the lock, for try-with-resources
     * @throws CancelledError if the calling task is cancelled while waiting for the lock
     * @throws IllegalStateException if it has to wait outside a coroutine, or the lock is bound to
     *     another loop
     */
    public Permit acquire() {
        return lock.acquire();
    }

    /**
     * Releases the underlying lock; see {@link Lock#release()}.
     *
     * @throws IllegalStateException if the lock is not held, or if called off its loop's turn
     */
    public void release() {
        lock.release();
    }

    /**
     * Releases the lock, suspends the calling coroutine until it is signalled, then re-acquires the
     * lock and returns (asyncio's {@code await condition.wait()}). The lock is held again when this
     * method returns or throws, whatever happened meanwhile.
     *
     * @throws CancelledError if the calling task is cancelled while waiting or while re-acquiring; the
     *     lock is held again all the same, and the signal, if this waiter had received one, is passed to
     *     another waiter. If it is cancelled in both phases, the later {@code CancelledError} is thrown.
     * @throws IllegalStateException if the lock is not held ("cannot wait on un-acquired lock"), if
     *     called outside a coroutine, or if the condition is bound to another loop
     */
    public void await() {
        if (!lock.isLocked()) {
            throw new IllegalStateException("cannot wait on un-acquired lock: acquire the condition first, "
                    + "e.g. try (var held = condition.acquire()) { condition.await(); }");
        }
        EventLoop loop = binding.loopForWait("Condition.await()");
        Future<Void> fut = loop.createFuture();
        lock.release();
        try {
            try {
                waiters.addLast(fut);
                try {
                    fut.await();
                    return;
                } finally {
                    waiters.remove(fut);
                }
            } finally {
                // The lock must be held again whatever happened; a cancellation while re-acquiring is
                // remembered and re-thrown once the lock is ours (the most recent one wins, as in asyncio).
                CancelledError cancelled = null;
                while (true) {
                    try {
                        lock.acquire();
                        break;
                    } catch (CancelledError e) {
                        cancelled = e;
                    }
                }
                if (cancelled != null) {
                    throw cancelled;
                }
            }
        } catch (Throwable t) {
            // We may have been signalled before the error: hand the signal to someone else. This can make
            // another waiter wake spuriously, which the condition-variable protocol allows.
            wake(1);
            throw t;
        }
    }

    /**
     * Waits until {@code predicate} holds (asyncio's {@code wait_for}): tests it, and while it is false
     * calls {@link #await()} and tests again. If it holds at once, returns without touching the lock.
     *
     * @param predicate the state to wait for, tested with the lock held
     * @throws CancelledError if the calling task is cancelled while waiting (the lock is held again)
     * @throws IllegalStateException if the predicate is false and the lock is not held, or as
     *     {@link #await()}
     */
    public void awaitFor(BooleanSupplier predicate) {
        Objects.requireNonNull(predicate, "predicate");
        if (!predicate.getAsBoolean()) {
            // `if … do … while`: the test after a wake is a bytecode of its own, so a frame compiled while
            // every waiter was still waiting has no trap on it to deoptimize at (see Queue.get()).
            do {
                await();
            } while (!predicate.getAsBoolean());
        }
    }

    /**
     * Wakes one waiting coroutine, if any (asyncio's {@code notify()}); see {@link #signal(int)}.
     *
     * @throws IllegalStateException if the lock is not held, or if called off the loop's turn
     */
    public void signal() {
        signal(1);
    }

    /**
     * Wakes up to {@code n} waiting coroutines, oldest first (asyncio's {@code notify(n)}). A woken
     * coroutine returns from {@link #await()} only once it re-acquires the lock, which the caller still
     * holds and should release.
     *
     * @param n how many waiters to wake, at least 0
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IllegalStateException if the lock is not held ("cannot notify on un-acquired lock"), or if
     *     called off the turn of the loop the condition is bound to
     */
    public void signal(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("signal(n) needs n >= 0, got " + n);
        }
        binding.checkAccess("Condition.signal()");
        if (!lock.isLocked()) {
            throw new IllegalStateException("cannot notify on un-acquired lock: acquire the condition before signal()");
        }
        wake(n);
    }

    /**
     * Wakes every waiting coroutine (asyncio's {@code notify_all()}); see {@link #signal(int)}.
     *
     * @throws IllegalStateException if the lock is not held, or if called off the loop's turn
     */
    public void signalAll() {
        signal(waiters.size());
    }

    private void wake(int n) {
        int woken = 0;
        for (Future<Void> fut : waiters) {
            if (woken >= n) {
                break;
            }
            if (!fut.isDone()) {
                woken++;
                fut.setResult(null);
            }
        }
    }

    /** For tests: how many coroutines wait for a signal. */
    int waiterCount() {
        return waiters.size();
    }

    /** @return asyncio's repr: {@code <Condition [locked, waiters:1]>} */
    @Override
    public String toString() {
        String extra = lock.isLocked() ? "locked" : "unlocked";
        if (!waiters.isEmpty()) {
            extra += ", waiters:" + waiters.size();
        }
        return "<Condition [" + extra + "]>";
    }
}
