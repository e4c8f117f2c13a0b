package dev.asyncio.flow;

import dev.asyncio.engine.LoopEngine;
import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.ExceptionContext;
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
 *
 * <p><b>A publisher that breaks the rules never leaves the owner waiting.</b> A {@code null} signal
 * (§2.13), an element beyond the demand (§1.1), a signal after the terminal one (§1.7) or a second
 * subscription (§2.5) becomes a {@link ReactiveStreamsViolation}: while the outcome is open it cancels the
 * subscription and is handled as the publisher's error (the owner's await fails with it), and the first
 * one of each subscriber is reported to the loop's exception handler. Demand is counted here, so
 * subclasses request through {@link #request(long)}. Signals after a cancel within the demand are the
 * late signals §3.12 allows, and are dropped.
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
    /** onError or onComplete was handled, or the publisher broke the rules (loop-only). */
    boolean terminated;
    /** Requested and not yet delivered; {@link Long#MAX_VALUE}: unbounded (loop-only). */
    private long demand;
    /** A violation was reported to the exception handler: the first one only (loop-only). */
    private boolean violationReported;
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
        if (s == null) {
            throw nullSignal("onSubscribe(null)");
        }
        signal(new Subscribed(s));
    }

    @Override
    public final void onNext(T item) {
        if (item == null) {
            throw nullSignal("onNext(null)");
        }
        signal(item);
    }

    @Override
    public final void onError(Throwable error) {
        if (error == null) {
            throw nullSignal("onError(null)");
        }
        signal(new Failed(error));
    }

    /** §2.13: the owner learns of it on the loop, and the publisher gets the NullPointerException it asks for. */
    private NullPointerException nullSignal(String call) {
        signal(new ReactiveStreamsViolation("2.13", "the publisher called " + call + " on the subscriber of "
                + owner.getName()));
        return new NullPointerException(call + " (Reactive Streams rule 2.13)");
    }

    @Override
    public final void onComplete() {
        signal(COMPLETE);
    }

    private void signal(Object signal) {
        if (wip.get() == 0 && LoopEngine.of(loop).isOnTurn()) {
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
        if (signal instanceof ReactiveStreamsViolation v) {
            violated(v);
        } else if (signal instanceof Subscribed sub) {
            if (subscription != null) {
                sub.subscription.cancel(); // §2.5
                violated(new ReactiveStreamsViolation("2.5", "the publisher called onSubscribe twice on the "
                        + "subscriber of " + owner.getName() + "; the second subscription was cancelled"));
                return;
            }
            subscription = sub.subscription;
            if (cancelled) {
                sub.subscription.cancel(); // one we no longer want
                return;
            }
            handleSubscribe();
        } else if (terminated) {
            if (!cancelled) {
                violated(new ReactiveStreamsViolation("1.7", "the publisher signalled "
                        + describe(signal) + " after its terminal signal to the subscriber of " + owner.getName()));
            }
        } else if (signal != COMPLETE && !(signal instanceof Failed) && demand == 0) {
            violated(new ReactiveStreamsViolation("1.1", "the publisher signalled onNext(" + signal
                    + ") beyond the demand requested by the subscriber of " + owner.getName()));
        } else if (cancelled) {
            // After we cancelled, late signals within the demand are allowed (§3.12) and dropped; an error
            // among them is the publisher's, but we told it to stop, so it is no one's to handle here.
            if (signal != COMPLETE && !(signal instanceof Failed) && demand != Long.MAX_VALUE) {
                demand--;
            }
        } else if (signal == COMPLETE) {
            terminated = true;
            handleComplete();
        } else if (signal instanceof Failed f) {
            terminated = true;
            handleError(f.error);
        } else {
            if (demand != Long.MAX_VALUE) {
                demand--;
            }
            handleNext((T) signal);
        }
    }

    private static String describe(Object signal) {
        if (signal == COMPLETE) {
            return "onComplete()";
        }
        return signal instanceof Failed f ? "onError(" + f.error + ")" : "onNext(" + signal + ")";
    }

    /**
     * On the turn: the publisher broke the rules. While the outcome is open, the subscription counts as
     * cancelled (§2.13) and the violation is the publisher's error; the first one is reported either way.
     */
    private void violated(ReactiveStreamsViolation v) {
        if (!violationReported) {
            violationReported = true;
            loop.callExceptionHandler(new ExceptionContext(v.getMessage(), v, owner, null));
        }
        if (terminated || cancelled) {
            return;
        }
        terminated = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        handleError(v);
    }

    /**
     * On the turn: requests {@code n} more elements, counted so that an element beyond the demand is
     * recognised (§1.1). Subclasses request through this method only.
     */
    final void request(long n) {
        demand = ProducerSubscription.addDemand(demand, n);
        subscription.request(n);
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
        if (!LoopEngine.of(loop).isOnTurn() || Asyncio.currentTask() != owner) {
            throw new IllegalStateException(operation + " must be called from the coroutine that subscribed ("
                    + owner.getName() + "), not from thread '" + Thread.currentThread().getName() + "'");
        }
    }

    private record Subscribed(Flow.Subscription subscription) {
    }

    private record Failed(Throwable error) {
    }
}
