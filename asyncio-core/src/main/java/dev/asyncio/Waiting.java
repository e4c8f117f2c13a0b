package dev.asyncio;

import dev.asyncio.engine.Durations;
import dev.asyncio.engine.Exceptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/** asyncio's {@code wait_for} and {@code wait}, behind the facade in {@link Asyncio}. */
final class Waiting {
    private Waiting() {
    }

    /** {@code wait_for(fut, timeout)} of asyncio 3.12+, for a future or task. */
    static <T> T waitFor(Future<T> future, Duration timeout) {
        Objects.requireNonNull(future, "future");
        Task<?> task = EventLoopEngine.requireCurrentTask("waitFor()");
        if (timeout == null) {
            return future.await();
        }
        if (Durations.toNanosSaturated(timeout) <= 0) {
            // asyncio's special case: no deadline timer, cancel now and wait until it is really over.
            if (future.isDone()) {
                return future.result();
            }
            cancelAndWait(future);
            try {
                return future.result();
            } catch (CancelledError e) {
                throw new TimeoutError("waitFor() timed out: the timeout was " + timeout, e);
            }
        }
        return Timeout.enterAfter(task, Durations.toNanosSaturated(timeout)).runInside(scope -> future.await());
    }

    /**
     * {@code wait_for(coro, timeout)} of asyncio 3.12+: the coroutine runs inline in the calling task,
     * inside a timeout scope, so it has finished when this returns; with a timeout {@code <= 0} it
     * becomes a task that is cancelled before it starts (or, with eager start, after its first step).
     */
    static <T> T waitFor(Coroutine<T> coroutine, Duration timeout) {
        Objects.requireNonNull(coroutine, "coroutine");
        Task<?> task = EventLoopEngine.requireCurrentTask("waitFor()");
        if (timeout == null) {
            try {
                return coroutine.call();
            } catch (Exception e) {
                throw Exceptions.sneaky(e);
            }
        }
        long nanos = Durations.toNanosSaturated(timeout);
        if (nanos <= 0) {
            return waitFor(task.loop.createTask(coroutine), timeout);
        }
        return Timeout.enterAfter(task, nanos).runInside(scope -> coroutine.call());
    }

    /**
     * asyncio's {@code _cancel_and_wait}: cancels {@code future} and suspends until it is done. It waits
     * on a private future rather than on {@code future} itself so that cancelling the waiting task does
     * not cancel {@code future} a second time.
     */
    static void cancelAndWait(Future<?> future) {
        EventLoop loop = future.loop;
        Future<Void> waiter = new Future<>(loop);
        Consumer<Future<?>> release = f -> {
            if (!waiter.isDone()) {
                waiter.complete(null);
            }
        };
        future.addDoneCallback(release);
        try {
            future.cancel();
            waiter.await();
        } finally {
            future.removeDoneCallback(release);
        }
    }

    /** asyncio's {@code wait(fs, timeout=..., return_when=...)}. */
    static <F extends Future<?>> WaitResult<F> wait(Collection<F> futures, Duration timeout, ReturnWhen returnWhen) {
        Objects.requireNonNull(futures, "futures");
        Objects.requireNonNull(returnWhen, "returnWhen");
        if (futures.isEmpty()) {
            throw new IllegalArgumentException("wait() needs at least one future: the collection is empty");
        }
        Task<?> task = EventLoopEngine.requireCurrentTask("wait()");
        EventLoop loop = task.loop;
        List<F> distinct = distinct(futures, loop, "wait()");
        Future<Void> waiter = new Future<>(loop);
        TimerHandle[] timer = new TimerHandle[1];
        if (timeout != null) {
            timer[0] = loop.callLater(timeout, () -> release(waiter));
        }
        int[] counter = {distinct.size()};
        Consumer<Future<?>> onCompletion = f -> {
            counter[0]--;
            if (counter[0] <= 0 || returnWhen == ReturnWhen.FIRST_COMPLETED
                    || returnWhen == ReturnWhen.FIRST_EXCEPTION && !f.isCancelled() && f.rawException() != null) {
                if (timer[0] != null) {
                    timer[0].cancel();
                }
                release(waiter);
            }
        };
        for (F f : distinct) {
            f.addDoneCallback(onCompletion);
            CallGraph.addAwaitedBy(f, task); // asyncio 3.14's _wait: the waiting task awaits each future
        }
        try {
            waiter.await();
        } finally {
            if (timer[0] != null) {
                timer[0].cancel();
            }
            for (F f : distinct) {
                f.removeDoneCallback(onCompletion);
                CallGraph.discardAwaitedBy(f, task);
            }
        }
        Set<F> done = new LinkedHashSet<>();
        Set<F> pending = new LinkedHashSet<>();
        for (F f : distinct) {
            (f.isDone() ? done : pending).add(f);
        }
        return new WaitResult<>(done, pending);
    }

    private static void release(Future<Void> waiter) {
        if (!waiter.isDone()) {
            waiter.complete(null);
        }
    }

    /** The futures without repeats, in the order given; all must belong to {@code loop}. */
    static <F extends Future<?>> List<F> distinct(Collection<F> futures, EventLoop loop, String operation) {
        Map<Future<?>, Boolean> seen = new IdentityHashMap<>();
        List<F> distinct = new ArrayList<>(futures.size());
        for (F f : futures) {
            Objects.requireNonNull(f, () -> operation + " got a null future");
            if (loop != null && f.loop != loop) {
                throw new IllegalArgumentException(operation + " got a future of another loop: " + f + " belongs to "
                        + f.loop + ", not to " + loop);
            }
            if (seen.put(f, Boolean.TRUE) == null) {
                distinct.add(f);
            }
        }
        return distinct;
    }
}
