package dev.asyncio.sync;

import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.engine.LoopBinding;
import java.util.ArrayDeque;

/**
 * asyncio's {@code Event}: a flag that coroutines can wait to become set.
 *
 * <p>{@link #set()} wakes every coroutine waiting in {@link #await()}; a coroutine that calls
 * {@code await()} while the flag is set returns at once. {@link #clear()} resets the flag; a waiter
 * already woken by {@code set()} still returns even if the flag was cleared before it ran.
 *
 * <p><b>Name.</b> asyncio's {@code event.wait()} is {@link #await()} here, since {@code wait()} is a
 * final method of {@link Object} (docs/design.md §8).
 *
 * <p><b>Threads.</b> Not thread-safe, like asyncio's: use it on one loop (see the
 * {@linkplain dev.asyncio.sync package}); from another thread, {@code loop.callSoonThreadsafe(event::set)}.
 */
public final class Event {
    private final LoopBinding binding = new LoopBinding(this);
    private final ArrayDeque<Future<Void>> waiters = new ArrayDeque<>();
    private boolean value;

    /** Creates an event whose flag is not set, bound to no loop yet. */
    public Event() {
    }

    /** @return whether the flag is set (asyncio's {@code is_set()}); callable from any thread */
    public boolean isSet() {
        return value;
    }

    /**
     * Sets the flag and wakes every waiting coroutine; does nothing if it is already set.
     *
     * @throws IllegalStateException if called off the turn of the loop the event is bound to
     */
    public void set() {
        binding.checkAccess("Event.set()");
        if (!value) {
            value = true;
            for (Future<Void> fut : waiters) {
                if (!fut.isDone()) {
                    fut.setResult(null);
                }
            }
        }
    }

    /**
     * Resets the flag, so that later {@link #await()} calls suspend until {@link #set()}.
     *
     * @throws IllegalStateException if called off the turn of the loop the event is bound to
     */
    public void clear() {
        binding.checkAccess("Event.clear()");
        value = false;
    }

    /**
     * Suspends the calling coroutine until the flag is set (asyncio's {@code await event.wait()});
     * returns at once, without yielding, if it is set already.
     *
     * @throws CancelledError if the calling task is cancelled while waiting
     * @throws IllegalStateException if it has to wait outside a coroutine, or the event is bound to
     *     another loop
     */
    public void await() {
        if (value) {
            return;
        }
        EventLoop loop = binding.loopForWait("Event.await()");
        Future<Void> fut = loop.createFuture();
        waiters.addLast(fut);
        try {
            fut.await();
        } finally {
            waiters.remove(fut);
        }
    }

    /** For tests: how many coroutines wait. */
    int waiterCount() {
        return waiters.size();
    }

    /** @return asyncio's repr: {@code <Event [set]>}, {@code <Event [unset, waiters:1]>} */
    @Override
    public String toString() {
        String extra = value ? "set" : "unset";
        if (!waiters.isEmpty()) {
            extra += ", waiters:" + waiters.size();
        }
        return "<Event [" + extra + "]>";
    }
}
