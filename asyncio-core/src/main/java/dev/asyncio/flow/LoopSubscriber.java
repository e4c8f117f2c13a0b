package dev.asyncio.flow;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The part every subscriber awaited by a coroutine shares: it belongs to the task that created it, and
 * it handles each signal on that task's loop.
 *
 * <p>A signal that arrives on the loop's own turn (the publisher runs on the loop too) is handled at
 * once; one from another thread is queued and the queue is drained by one {@code callSoonThreadsafe}
 * callback per batch, so the loop wakes once per burst, never once per element through another
 * scheduler. Ordering holds because a publisher signals serially (§1.3). Subclasses see the signals
 * through the {@code handle*} methods, on the turn only, so their state needs no synchronization.
 */
abstract class LoopSubscriber<T> implements Flow.Subscriber<T> {
    private static final Object COMPLETE = new Object();

    final EventLoop loop;
    final Task<?> owner;
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    /** The upstream subscription, once received (loop-only). */
    Flow.Subscription subscription;
    /** Set when this side cancelled, possibly before onSubscribe arrived (loop-only). */
    boolean cancelled;
    /** onError or onComplete was handled (loop-only). */
    boolean terminated;
    private Future<Void> waiter;

    LoopSubscriber(String operation) {
        Task<?> t = Asyncio.currentTask();
        if (t == null) {
            throw new IllegalStateException(operation + " was called from a callback, not from a coroutine; "
                    + "awaiting a publisher suspends, so run it in a task (createTask(...))");
        }
        this.owner = t;
        this.loop = t.getLoop();
    }

    @Override
    public final void onSubscribe(Flow.Subscription s) {
        Objects.requireNonNull(s, "onSubscribe(null) (Reactive Streams §2.13)");
        signal(new Subscribed(s));
    }

    @Override
    public final void onNext(T item) {
        Objects.requireNonNull(item, "onNext(null) (Reactive Streams §2.13)");
        signal(item);
    }

    @Override
    public final void onError(Throwable error) {
        Objects.requireNonNull(error, "onError(null) (Reactive Streams §2.13)");
        signal(new Failed(error));
    }

    @Override
    public final void onComplete() {
        signal(COMPLETE);
    }

    private void signal(Object signal) {
        if (wip.get() == 0 && loop.isOnTurn()) {
            dispatch(signal);
            return;
        }
        inbox.offer(signal);
        if (wip.getAndIncrement() == 0) {
            try {
                loop.callSoonThreadsafe(this::drain);
            } catch (IllegalStateException closed) {
                // The loop is closed, and with it the task that was waiting: nothing can be delivered.
                inbox.clear();
            }
        }
    }

    private void drain() {
        int missed = 1;
        for (;;) {
            Object s;
            while ((s = inbox.poll()) != null) {
                dispatch(s);
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void dispatch(Object signal) {
        if (signal instanceof Subscribed sub) {
            if (subscription != null || cancelled) {
                sub.subscription.cancel(); // §2.5: a second subscription, or one we no longer want
                return;
            }
            subscription = sub.subscription;
            handleSubscribe();
        } else if (terminated || cancelled) {
            // After we cancelled, late signals are allowed (§3.12) and ignored; an error among them is
            // the publisher's, but we told it to stop, so it is no one's to handle here.
        } else if (signal == COMPLETE) {
            terminated = true;
            handleComplete();
        } else if (signal instanceof Failed f) {
            terminated = true;
            handleError(f.error);
        } else {
            handleNext((T) signal);
        }
    }

    /** On the turn: the subscription arrived (in {@link #subscription}). */
    abstract void handleSubscribe();

    /** On the turn: an element arrived. */
    abstract void handleNext(T item);

    /** On the turn: the publisher failed. */
    abstract void handleError(Throwable error);

    /** On the turn: the publisher completed. */
    abstract void handleComplete();

    /** On the turn: stop the upstream, now or as soon as its subscription arrives. */
    final void cancelUpstream() {
        if (cancelled || terminated) {
            return;
        }
        cancelled = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    /** Wakes the owner if it waits in {@link #suspendOwner()}. */
    final void wakeOwner() {
        Future<Void> w = waiter;
        if (w != null && !w.isDone()) {
            w.setResult(null);
        }
    }

    /**
     * Suspends the owner until {@link #wakeOwner()}; if the owner is cancelled meanwhile, cancels the
     * subscription and rethrows the {@link CancelledError}.
     */
    final void suspendOwner() {
        Future<Void> w = loop.createFuture();
        waiter = w;
        try {
            w.await();
        } catch (CancelledError e) {
            cancelUpstream();
            throw e;
        } finally {
            waiter = null;
        }
    }

    final void checkOwner(String operation) {
        if (!loop.isOnTurn() || Asyncio.currentTask() != owner) {
            throw new IllegalStateException(operation + " must be called from the coroutine that subscribed ("
                    + owner.getName() + "), not from thread '" + Thread.currentThread().getName() + "'");
        }
    }

    private record Subscribed(Flow.Subscription subscription) {
    }

    private record Failed(Throwable error) {
    }
}
