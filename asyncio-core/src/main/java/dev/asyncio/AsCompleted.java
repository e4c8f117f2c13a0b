package dev.asyncio;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;

/**
 * asyncio's {@code as_completed}: the given futures in the order they finish. Built when
 * {@link Asyncio#asCompleted} is called (the timeout runs from then); iterated once.
 */
final class AsCompleted<F extends Future<?>> implements Iterable<F>, Iterator<F> {
    /** Queued in place of a future when the timeout expires first. */
    private static final Object TIMED_OUT = new Object();

    private final EventLoop loop;
    private final Duration timeout;
    private final Set<F> todo = new LinkedHashSet<>();
    private final ArrayDeque<Object> finished = new ArrayDeque<>();
    private final Consumer<Future<?>> onCompletion = this::completed;
    private TimerHandle timer;
    private Future<Void> waiter;
    private int remaining;
    private boolean iterated;

    AsCompleted(Collection<F> futures, Duration timeout) {
        EventLoop l = futures.isEmpty() ? null : futures.iterator().next().loop;
        this.loop = l;
        this.timeout = timeout;
        todo.addAll(Waiting.distinct(futures, l, "asCompleted()"));
        remaining = todo.size();
        for (F f : todo) {
            f.addDoneCallback(onCompletion);
        }
        if (!todo.isEmpty() && timeout != null) {
            timer = loop.callLater(timeout, this::timedOut);
        }
    }

    @SuppressWarnings("unchecked")
    private void completed(Future<?> f) {
        if (todo.isEmpty()) {
            return;
        }
        todo.remove((F) f);
        push(f);
        if (todo.isEmpty() && timer != null) {
            timer.cancel();
        }
    }

    private void timedOut() {
        for (F f : todo) {
            f.removeDoneCallback(onCompletion);
            push(TIMED_OUT);
        }
        todo.clear();
    }

    private void push(Object item) {
        finished.add(item);
        Future<Void> w = waiter;
        if (w != null && !w.isDone()) {
            w.complete(null);
        }
    }

    @Override
    public Iterator<F> iterator() {
        if (iterated) {
            throw new IllegalStateException("the result of asCompleted() can be iterated only once; call asCompleted() again");
        }
        iterated = true;
        return this;
    }

    /** @return whether a future (or a timeout) is still to come; never suspends */
    @Override
    public boolean hasNext() {
        return remaining > 0;
    }

    /**
     * Suspends until the next future finishes and returns it (done: its {@code await()} or
     * {@code result()} returns at once).
     *
     * @throws TimeoutError if the timeout expired before another future finished
     * @throws NoSuchElementException if every future was returned already
     */
    @Override
    @SuppressWarnings("unchecked")
    public F next() {
        if (remaining == 0) {
            throw new NoSuchElementException("asCompleted(): every future has been returned already");
        }
        EventLoopEngine.requireCurrentTask("asCompleted().next()");
        while (finished.isEmpty()) {
            Future<Void> w = new Future<>(loop);
            waiter = w;
            try {
                w.await();
            } finally {
                waiter = null;
            }
        }
        Object item = finished.poll();
        remaining--;
        if (item == TIMED_OUT) {
            throw new TimeoutError("asCompleted() timed out after " + timeout + " with futures still pending");
        }
        return (F) item;
    }
}
