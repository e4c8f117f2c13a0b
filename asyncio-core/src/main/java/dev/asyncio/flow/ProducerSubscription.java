package dev.asyncio.flow;

import dev.asyncio.engine.LoopEngine;
import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Context;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * One subscription to a {@link CoroutinePublisher}: runs the producer coroutine as a task and relays
 * its elements under the subscriber's demand.
 *
 * <p>Every field is touched on the loop's turn only, except while {@code onSubscribe} runs: requests and
 * cancels from other threads are re-scheduled onto the loop with {@code callSoonThreadsafe}; those made on
 * the turn (typically from inside {@code onNext}) are handled directly; and the demand that the subscriber
 * requests from inside {@code onSubscribe} on the subscribing thread (the usual {@code request(n)}) is
 * collected in {@link #earlyDemand} and taken by the task start that {@link #subscribe} schedules
 * afterwards (that hand-over publishes it), as is a cancel made there. So a subscription from a foreign
 * thread, e.g. a Netty thread serving a request, costs one cross-thread call, not two. All signals to
 * the subscriber after {@code onSubscribe} are sent on the turn, which serializes them (Reactive
 * Streams §1.3).
 */
final class ProducerSubscription<T> implements Flow.Subscription, FlowSink<T> {
    private final EventLoop loop;
    private final ProducerCoroutine<T> body;
    private final Consumer<? super Throwable> droppedErrors;
    /** {@code null} once a terminal signal was sent or the subscriber cancelled (§3.13: drop the reference). */
    private Flow.Subscriber<? super T> downstream;
    private Task<Void> task;
    private Thread bodyThread;
    private long demand;
    /** No more signals may go downstream: terminal signal sent, or cancelled. */
    private boolean done;
    private Future<Void> demandWaiter;
    /** The thread running {@code onSubscribe} off the loop's turn, while it runs; else {@code null}. */
    private Thread subscribing;
    /** Demand requested by {@link #subscribing} inside {@code onSubscribe}; read by {@link #start} on the turn. */
    private long earlyDemand;
    /** Whether {@link #subscribing} cancelled inside {@code onSubscribe}: then the task is never started. */
    private boolean earlyCancel;

    ProducerSubscription(EventLoop loop, ProducerCoroutine<T> body, Flow.Subscriber<? super T> downstream,
            Consumer<? super Throwable> droppedErrors) {
        this.loop = loop;
        this.body = body;
        this.downstream = downstream;
        this.droppedErrors = droppedErrors;
    }

    /** Subscribes {@code subscriber}: {@code onSubscribe} on the calling thread, then the task on the loop. */
    static <T> void subscribe(EventLoop loop, Context context, ProducerCoroutine<T> body,
            Flow.Subscriber<? super T> subscriber, Consumer<? super Throwable> droppedErrors) {
        Objects.requireNonNull(subscriber, "subscriber (Reactive Streams §1.9)");
        ProducerSubscription<T> s = new ProducerSubscription<>(loop, body, subscriber, droppedErrors);
        boolean onTurn = LoopEngine.of(loop).isOnTurn();
        if (!onTurn) {
            s.subscribing = Thread.currentThread();
        }
        try {
            subscriber.onSubscribe(s);
        } catch (Throwable e) {
            // §2.13: a throwing onSubscribe breaks the subscriber; treat the subscription as cancelled.
            s.reportDropped(e);
            return;
        } finally {
            s.subscribing = null;
        }
        if (onTurn) {
            s.start(context);
        } else if (s.earlyCancel) {
            s.downstream = null; // §3.13; nothing was started, and nothing will be
        } else {
            try {
                loop.callSoonThreadsafe(() -> s.start(context));
            } catch (IllegalStateException closed) {
                // Nothing else can run on a closed loop, so this signal is still serialized.
                s.signalError(new IllegalStateException("cannot run the producer coroutine: its event loop is closed", closed));
            }
        }
    }

    private void start(Context context) {
        if (done) {
            return; // cancelled (or failed by §3.9) before the task could start: never run the body
        }
        if (earlyDemand > 0) {
            onRequest(earlyDemand);
        }
        task = loop.createTask(this::run, null, context);
    }

    private Void run() throws Exception {
        bodyThread = Thread.currentThread();
        Throwable failure = null;
        try {
            body.run(this);
        } catch (Throwable t) {
            failure = t;
        } finally {
            bodyThread = null;
        }
        if (failure == null) {
            complete();
            return null;
        }
        if (failure instanceof CancelledError ce) {
            if (!done) {
                // Cancelled by someone other than the subscriber (its loop closing, a task group…): say so.
                signalError(ce);
            }
            throw ce; // the task ends cancelled, which is never reported as lost
        }
        signalError(failure);
        return null;
    }

    @Override
    public void emit(T value) {
        if (Thread.currentThread() != bodyThread) {
            throw new IllegalStateException("emit() must be called by the producer coroutine itself, on its own task; "
                    + "it was called from thread '" + Thread.currentThread().getName() + "'. To emit from another task, "
                    + "pass the values to the producer (e.g. through a queue) and emit them there");
        }
        Objects.requireNonNull(value, "emit(null): Reactive Streams forbids null elements (§2.13); "
                + "skip the value or wrap it (e.g. in an Optional)");
        while (demand == 0 && !done) {
            Future<Void> w = loop.createFuture();
            demandWaiter = w;
            try {
                w.await();
            } finally {
                demandWaiter = null;
            }
        }
        if (done) {
            // Deliver the pending cancel as asyncio would, at a suspension; if it was withdrawn, still stop.
            Asyncio.sleep(Duration.ZERO);
            throw new CancelledError("the subscriber cancelled the subscription; emit() has no one to send to");
        }
        if (demand != Long.MAX_VALUE) {
            demand--;
        }
        try {
            downstream.onNext(value);
        } catch (Throwable e) {
            // §2.13: the subscriber is broken; consider the subscription cancelled, as Reactive Streams allows.
            cancelled();
            reportDropped(e);
            CancelledError stop = new CancelledError("the subscriber's onNext threw " + e);
            stop.initCause(e);
            throw stop;
        }
    }

    @Override
    public void request(long n) {
        if (n > 0 && Thread.currentThread() == subscribing) {
            earlyDemand = addDemand(earlyDemand, n);
        } else if (LoopEngine.of(loop).isOnTurn()) {
            onRequest(n);
        } else {
            try {
                loop.callSoonThreadsafe(() -> onRequest(n));
            } catch (IllegalStateException closed) {
                // The loop is closed: the producer is gone and nothing more will be signalled.
            }
        }
    }

    @Override
    public void cancel() {
        if (Thread.currentThread() == subscribing) {
            earlyCancel = true;
        } else if (LoopEngine.of(loop).isOnTurn()) {
            cancelled();
        } else {
            try {
                loop.callSoonThreadsafe(this::cancelled);
            } catch (IllegalStateException closed) {
                // The loop is closed: the producer is gone already.
            }
        }
    }

    private void onRequest(long n) {
        if (done) {
            return;
        }
        if (n <= 0) {
            Flow.Subscriber<? super T> d = downstream;
            cancelled();
            signalTo(d, new IllegalArgumentException("Reactive Streams §3.9: request(" + n
                    + ") is not allowed, the number of elements requested must be positive"));
            return;
        }
        demand = addDemand(demand, n);
        Future<Void> w = demandWaiter;
        if (w != null && !w.isDone()) {
            w.setResult(null);
        }
    }

    /**
     * {@code demand + n} for a positive {@code n}, saturated at Long.MAX_VALUE ("unbounded", §3.17); also
     * {@link LoopSubscriber}'s count of what it requested.
     */
    static long addDemand(long demand, long n) {
        long sum = demand + n;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** The subscription ends without a terminal signal; the body sees CancelledError at its next suspension. */
    private void cancelled() {
        if (done) {
            return;
        }
        done = true;
        downstream = null;
        Task<Void> t = task;
        if (t != null) {
            t.cancel(CoroutinePublisher.CANCELLED_BY_SUBSCRIBER);
        }
    }

    private void complete() {
        if (done) {
            return;
        }
        done = true;
        Flow.Subscriber<? super T> d = downstream;
        downstream = null;
        try {
            d.onComplete();
        } catch (Throwable e) {
            reportDropped(e);
        }
    }

    private void signalError(Throwable error) {
        if (done) {
            reportDropped(error);
            return;
        }
        done = true;
        Flow.Subscriber<? super T> d = downstream;
        downstream = null;
        signalTo(d, error);
    }

    private void signalTo(Flow.Subscriber<? super T> d, Throwable error) {
        try {
            d.onError(error);
        } catch (Throwable e) {
            e.addSuppressed(error);
            reportDropped(e);
        }
    }

    private void reportDropped(Throwable error) {
        droppedErrors.accept(error);
    }

    @Override
    public String toString() {
        return "ProducerSubscription[" + (done ? "done" : "demand=" + demand) + ", task=" + task + "]";
    }
}
