package dev.asyncio;

import dev.asyncio.engine.LoopRegistry;
import dev.asyncio.engine.SleepTimer;
import dev.asyncio.engine.ThreadLocalPropagation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;

/**
 * asyncio's {@code Task}: a {@link Coroutine} running on its loop, itself a {@link Future} of the
 * coroutine's result.
 *
 * <p>The body runs on a virtual thread of its own, started at the task's first step (a task cancelled
 * before it starts never runs and never gets a thread). In {@link CarrierMode#LOOP_CARRIER} mode that
 * thread may be one whose earlier task has ended, when nothing of that task is left on it (no
 * thread-local map, no uncaught-exception handler, no interrupt): a burst of short tasks then costs no
 * thread each, and no task ever shares a thread with another task that is still alive. It runs only
 * while its loop has handed it the turn; at each suspension ({@link Future#await()}, {@link Asyncio#sleep},
 * …) it hands the turn on.
 * A {@link ThreadLocal} set in the body therefore lasts across its suspensions and is seen by no other
 * task; with asyncio-reactor's {@code ReactorCoroutines.enableContextPropagation()}, the thread-local
 * values registered with Micrometer's context-propagation library (SLF4J's MDC, the current
 * Observation) are also carried from the thread that creates the task into its body, as its
 * {@link Context} is.
 *
 * <p><b>Outcome.</b> A returned value becomes the result; a thrown {@link CancelledError} makes the
 * task cancelled (the same error object is rethrown to awaiters); any other exception becomes the
 * task's exception. A task that was asked to cancel and returns normally anyway ends cancelled, as in
 * asyncio.
 *
 * <p><b>Cancellation</b> is asyncio's: {@link #cancel(String)} is a request delivered as a
 * {@link CancelledError} at the coroutine's current or next suspension, and cancels the future it awaits
 * right away. {@link #cancelling()} counts pending requests and {@link #uncancel()} withdraws one.
 * {@link Thread#interrupt()} plays no part.
 *
 * <p>Methods that change the task must be called on its loop's turn, like every {@link Future} method;
 * from another thread, use {@code loop.callSoonThreadsafe(task::cancel)}.
 *
 * @param <T> the coroutine's result type
 */
public final class Task<T> extends Future<T> {
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final VarHandle CONTEXT;

    static {
        try {
            CONTEXT = MethodHandles.lookup().findVarHandle(Task.class, "context", Context.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The {@link Coroutine}, or the {@link VoidCoroutine} a {@link VoidBody} adapted: kept and run as is,
     * so that neither the adapter nor its frame stays with a parked task.
     */
    private final Object body;
    /** Built from {@link #id} on first use: a million tasks need no million strings. */
    private String name;
    private final long id;
    /**
     * The task's own context, or {@code null} while it is an empty one not made yet: a task created where no
     * {@link ContextVar} is set (most of them) gets its {@link Context} object on first use, which a million
     * short tasks never reach (16 B each). Read through {@link #context()}, which makes it.
     */
    private volatile Context context;
    /**
     * The context current in this task's steps when it is not its own: one entered with {@link Context#run};
     * {@code null} (the common case) while it is the task's own. See {@link #activeContext()}.
     */
    Context active;
    Thread thread;
    /** Set when a cancel request must be delivered at the next step (asyncio's {@code _must_cancel}). */
    boolean mustCancel;
    private String requestedCancelMessage;
    private int cancelRequests;
    /**
     * What this task is suspended on, {@code null} while it runs: the {@link Future} it awaits (asyncio's
     * {@code _fut_waiter}), or the {@link SleepTimer} of its {@link Asyncio#sleep}, a sleep's stand-in for
     * that future. Before its first step, the thread-local values carried from the creating thread (see
     * {@link ThreadLocalPropagation}), if any, which the body sets on its own thread when it starts. One
     * field for the three, since a task holds at most one of them at a time: every object of a parked task
     * counts, a million times over.
     */
    private Object suspendedOn;
    /** Links in the loop's list of pending tasks. */
    Task<?> prevLive;
    Task<?> nextLive;

    Task(EventLoop loop, Coroutine<T> coroutine, String name, Context context) {
        super(loop);
        this.body = coroutine instanceof VoidBody v && !(v.body() instanceof Coroutine<?>) ? v.body() : coroutine;
        this.name = name;
        this.id = name == null ? COUNTER.incrementAndGet() : 0;
        this.context = context;
        this.suspendedOn = ThreadLocalPropagation.capture();
        FlightEvents.taskCreated(this);
    }

    /** @return the task's name, "Task-N" unless one was given */
    public String getName() {
        String n = name;
        if (n == null) {
            n = "Task-" + id;
            name = n;
        }
        return n;
    }

    /**
     * @param name the new name
     */
    public void setName(String name) {
        this.name = String.valueOf(name);
    }

    /**
     * @return the coroutine this task runs; for a task made from a {@link VoidCoroutine}, a
     *     {@code Coroutine} that runs it and returns {@code null} (made on each call; the calls' results are
     *     equal)
     */
    @SuppressWarnings("unchecked")
    public Coroutine<T> getCoro() {
        return body instanceof Coroutine<?> c ? (Coroutine<T>) c : (Coroutine<T>) new VoidBody((VoidCoroutine) body);
    }

    /**
     * The context the task runs in: a copy of its creator's, or the one given. Any thread; the same object
     * on every call.
     *
     * @return the task's context
     */
    public Context getContext() {
        return context();
    }

    /** @return the task's own context, made now if it is an empty one not made yet; any thread, made once */
    Context context() {
        Context c = context;
        if (c == null) {
            Context made = new Context();
            c = (Context) CONTEXT.compareAndExchange(this, null, made);
            if (c == null) {
                c = made;
            }
        }
        return c;
    }

    /** @return whether {@code c} is this task's own context (one not made yet is nobody's) */
    boolean isOwnContext(Context c) {
        return c != null && c == context;
    }

    /**
     * Requests cancellation: the coroutine sees {@link CancelledError} at its current or next
     * suspension; the future it is awaiting, if any, is cancelled right away.
     *
     * <p>Where the message comes from, as in asyncio: the first request that cancels the awaited future
     * (or interrupts the {@link Asyncio#sleep}) decides the {@link CancelledError} the coroutine gets,
     * so after {@code cancel("m1")} and {@code cancel("m2")} on a task suspended there the coroutine,
     * and then whoever awaits the task, sees the very same error object with message "m1". Requests
     * made while nothing can be cancelled (before the first step, or at {@code sleep(0)}) are delivered
     * at the next step with the latest message.
     *
     * <p>On a task that is already done nothing changes and {@code false} is returned, but an
     * exception it ended with counts as retrieved from then on and is no longer reported as "Task
     * exception was never retrieved" (asyncio's {@code Task.cancel} clears {@code _log_traceback} first).
     *
     * @param message carried by the {@link CancelledError}, or {@code null}
     * @return {@code false} if the task is already done, else {@code true}
     * @throws IllegalStateException if called off the loop's turn
     */
    @Override
    public boolean cancel(String message) {
        loop.engine.checkThread("Task.cancel");
        markRetrieved();
        if (isDone()) {
            return false;
        }
        cancelRequests++;
        FlightEvents.taskCancelRequested(this, message);
        Object on = suspendedOn;
        if (on instanceof Future<?> waiter && waiter.cancel(message)) {
            return true;
        }
        if (on instanceof SleepTimer sleep && loop.engine.timers.interruptSleep(sleep, message)) {
            return true;
        }
        mustCancel = true;
        requestedCancelMessage = message;
        return true;
    }

    /**
     * Refused: a task's result is what its coroutine returns, asyncio's
     * {@code RuntimeError: Task does not support set_result operation}. The exception is
     * {@link UnsupportedOperationException}, the JDK's signal for an inherited operation that a subtype
     * never supports, rather than {@link IllegalStateException}, which this library throws for a call
     * made on the wrong thread or at the wrong moment and which could succeed elsewhere; this call cannot.
     *
     * @param value ignored
     * @throws UnsupportedOperationException always
     */
    @Override
    public void setResult(T value) {
        throw new UnsupportedOperationException("Task does not support setResult: a task's result is what its "
                + "coroutine returns; to hand a value to awaiters from outside, await a Future created with "
                + "loop.createFuture() and call setResult on that, or cancel() the task to end it early");
    }

    /**
     * Refused: a task's exception is what its coroutine throws, asyncio's
     * {@code RuntimeError: Task does not support set_exception operation}. For the choice of
     * {@link UnsupportedOperationException} see {@link #setResult}.
     *
     * @param error ignored
     * @throws UnsupportedOperationException always
     */
    @Override
    public void setException(Throwable error) {
        throw new UnsupportedOperationException("Task does not support setException: a task's exception is what "
                + "its coroutine throws; to fail awaiters from outside, await a Future created with "
                + "loop.createFuture() and call setException on that, or cancel() the task to end it early");
    }

    /** @return the number of cancellation requests not withdrawn by {@link #uncancel()} */
    public int cancelling() {
        return cancelRequests;
    }

    /**
     * Withdraws one cancellation request; once none is left, a request not yet delivered is dropped.
     * Used by structured constructs ({@code timeout}, {@code TaskGroup}) that turn their own
     * cancellation into something else.
     *
     * @return the number of requests left
     */
    public int uncancel() {
        if (cancelRequests > 0) {
            cancelRequests--;
            if (cancelRequests == 0) {
                mustCancel = false;
            }
        }
        return cancelRequests;
    }

    /** @return the stack of the task's virtual thread: where it is suspended, or empty if not started or done */
    public StackTraceElement[] getStack() {
        Thread t = thread;
        return t == null || isDone() ? new StackTraceElement[0] : t.getStackTrace();
    }

    /**
     * asyncio's {@code get_stack(limit=)}: the coroutine's own frames (the loop's frames between its
     * suspension point and the thread's start are left out, as {@link Asyncio#dumpTasks()} does), most
     * recent first as Java prints stacks (asyncio's order for a traceback is the reverse), at most
     * {@code limit} of them.
     *
     * @param limit the most frames to return, at least 0
     * @return the frames; empty if the task has not started or is done
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public StackTraceElement[] getStack(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0: " + limit);
        }
        java.util.List<StackTraceElement> frames = TaskDump.coroutineFrames(getStack());
        return frames.subList(0, Math.min(limit, frames.size())).toArray(new StackTraceElement[0]);
    }

    /**
     * asyncio's {@code print_stack(limit=, file=)}: prints "Stack for" the task, then the frames of
     * {@link #getStack(int)}, most recent first; or, for a task that is done with an exception, that
     * exception's stack trace, as asyncio prints its traceback. Any thread (it reads a snapshot).
     *
     * @param limit the most frames to print, at least 0
     * @param out where to print, e.g. {@code System.err} (asyncio's default file)
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    public void printStack(int limit, java.io.PrintStream out) {
        Objects.requireNonNull(out, "out");
        StackTraceElement[] frames = getStack(limit);
        Throwable failure = isDone() && !isCancelled() ? rawException() : null;
        if (frames.length == 0 && failure == null) {
            out.println("No stack for " + this);
            return;
        }
        out.println((failure != null ? "Traceback for " : "Stack for ") + this + " (most recent call first):");
        if (failure != null) {
            failure.printStackTrace(out);
            return;
        }
        for (StackTraceElement frame : frames) {
            out.println("\tat " + frame);
        }
    }

    /**
     * @return the future this task is suspended on, or {@code null}; a task in {@link Asyncio#sleep}
     *     waits on a timer, not a future: see {@link #sleepingUntil()}
     */
    public Future<?> awaiting() {
        return waitingOn();
    }

    /** @return the future this task is suspended on (asyncio's {@code _fut_waiter}), or {@code null} */
    Future<?> waitingOn() {
        return suspendedOn instanceof Future<?> f ? f : null;
    }

    /** @return whether this task is suspended on {@code future} */
    boolean isWaitingOn(Future<?> future) {
        return suspendedOn == future;
    }

    /**
     * @return the context current in this task's steps: its own, or one entered with {@link Context#run};
     *     {@code null} for its own when that is an empty one not made yet (the loop makes it on first use)
     */
    Context activeContext() {
        Context a = active;
        return a != null ? a : context;
    }

    /** @return the variables of the context current in this task's steps, without making a context */
    Map<ContextVar<?>, Object> activeVars() {
        Context a = activeContext();
        return a != null ? a.vars : Context.EMPTY;
    }

    /**
     * @return the loop time (seconds, as {@link EventLoop#time()}) at which the {@link Asyncio#sleep}
     *     this task is suspended in ends, or empty if it is not sleeping
     */
    public OptionalDouble sleepingUntil() {
        return suspendedOn instanceof SleepTimer s ? OptionalDouble.of(s.deadline() / 1e9) : OptionalDouble.empty();
    }

    // ---- running, on the task's own virtual thread ----

    /**
     * The virtual thread's body: runs the coroutine on the turn the loop handed over, then finishes; then,
     * in loop-carrier mode, the never-started tasks the loop gives this same thread (see the engine's
     * {@code Turn.fiberExited}), one after the other.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void runOnThread() {
        if (loop.getCarrierMode() == CarrierMode.PORTABLE) {
            LoopRegistry.bindTaskThread(loop.engine); // a loop-carrier task finds its loop by its carrier, the host
        }
        Task t = this;
        do {
            Object value = null;
            Throwable error = null;
            ThreadLocalPropagation.Snapshot locals = t.suspendedOn instanceof ThreadLocalPropagation.Snapshot carried ? carried : null;
            try {
                if (locals != null) {
                    // Set on the task's own thread, they last across its suspensions and stay out of other tasks.
                    t.suspendedOn = null;
                    value = ThreadLocalPropagation.callWith(locals, t.getCoro()::call);
                } else if (t.body instanceof Coroutine<?> c) {
                    // Called here, not through a helper method: each frame under the body stays in a parked task's stack.
                    value = c.call();
                } else {
                    ((VoidCoroutine) t.body).run();
                }
            } catch (Throwable e) {
                error = e;
            }
            Object next;
            try {
                t.finish(value, error);
                next = loop.engine.turn.fiberExited(t);
            } catch (Throwable internal) {
                loop.engine.turn.internalError(t, internal);
                return;
            }
            // Tested before the cast, not by it. This method is compiled while its first tasks are still in
            // their bodies, so nothing after the call above has a profile; a cast of a value never seen null
            // compiles to a trap on null, and then every task parked in that compiled frame deoptimizes when
            // it ends (a million sleepers woken at once: 8 of 10 s in deoptimization). See
            // benchmarks/README.md, "Virtual time: the deoptimization storm".
            if (next == null) {
                return;
            }
            t = (Task) next;
        } while (true);
    }

    private void finish(T value, Throwable error) {
        if (error == null) {
            if (mustCancel) {
                mustCancel = false;
                finishCancelled(null, requestedCancelMessage);
            } else {
                complete(value);
            }
        } else if (error instanceof CancelledError ce) {
            finishCancelled(ce, ce.getMessage());
        } else {
            fail(error);
        }
        loop.engine.tasks.unlink(this);
        loop.engine.taskEnded(this);
    }

    /** Ends a task that was cancelled before its first step, without starting it. */
    void finishUnstarted() {
        mustCancel = false;
        finishCancelled(null, requestedCancelMessage);
        loop.engine.tasks.unlink(this);
        loop.engine.taskEnded(this);
    }

    /** {@code await fut} for a pending future: register the wakeup, hand over the turn, resume. */
    void awaitFuture(Future<?> future) {
        future.addWaiter(this);
        suspendedOn = future;
        if (mustCancel && future.cancel(requestedCancelMessage)) {
            mustCancel = false;
        }
        try {
            loop.engine.turn.suspend(this);
        } finally {
            suspendedOn = null;
        }
        // What `future.result()` raises in asyncio's __wakeup, if it is a cancellation: the error the
        // coroutine must get even when a later cancel() request is pending.
        // The null test is written out: this frame is compiled while its first tasks are still parked, so
        // `rawException() instanceof …` has no profile, and a type test of a value never seen null compiles
        // to a trap on null; every task parked in that frame would then deoptimize when it resumes (a
        // million tasks awaiting one future: 10-20 s instead of 1.5; benchmarks/README.md, "Virtual time:
        // the deoptimization storm").
        CancelledError incoming = null;
        if (future.isCancelled()) {
            incoming = future.cancelledError();
        } else {
            Throwable raw = future.rawException();
            if (raw != null && raw instanceof CancelledError ce) {
                incoming = ce;
            }
        }
        deliverCancel(future, incoming);
    }

    /** {@code await asyncio.sleep(d)} for d > 0: suspend until the timer fires or a cancel interrupts it. */
    void sleepUntil(long deadlineNanos) {
        SleepTimer timer = loop.engine.timers.sleep(this, deadlineNanos);
        suspendedOn = timer;
        if (mustCancel && loop.engine.timers.interruptSleep(timer, requestedCancelMessage)) {
            mustCancel = false;
        }
        try {
            loop.engine.turn.suspend(this);
        } finally {
            suspendedOn = null;
        }
        CancelledError interrupted = Timers.interruption(timer);
        deliverCancel(null, interrupted);
        if (interrupted != null) {
            throw interrupted;
        }
    }

    /** {@code await asyncio.sleep(0)}: step again in the next iteration. */
    void yieldOnce() {
        loop.engine.wake(this);
        loop.engine.turn.suspend(this);
        deliverCancel(null, null);
    }

    /**
     * At the start of a step: a pending cancel request becomes a {@link CancelledError} here. As in
     * asyncio's {@code __step}, if the suspension is already ending with a cancellation
     * ({@code incoming}: the awaited future's or the sleep's), that error is the one raised, with its
     * message and identity; a fresh one with the latest requested message is made only otherwise. A
     * second {@code cancel()} made after the first had cancelled the awaited future sets
     * {@link #mustCancel}, and must not replace the first one's error.
     *
     * @param incoming the {@link CancelledError} the suspension raises anyway, or {@code null}
     */
    private void deliverCancel(Future<?> awaited, CancelledError incoming) {
        if (mustCancel) {
            mustCancel = false;
            if (awaited != null && !awaited.isDone()) {
                awaited.removeWaiter(this);
            }
            CancelledError e = incoming;
            if (e == null) {
                e = requestedCancelMessage == null ? new CancelledError() : new CancelledError(requestedCancelMessage);
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<Task ").append(stateName()).append(" name='").append(getName()).append('\'');
        if (!isDone() && mustCancel) {
            sb.append(" cancelling");
        }
        appendOutcome(sb);
        Object on = suspendedOn;
        if (on instanceof SleepTimer sleep) {
            sb.append(" sleeping until ").append(sleep.deadline() / 1e9);
        }
        if (on instanceof Future<?> w) {
            sb.append(" wait_for=").append(w instanceof Task<?> t ? "<Task " + t.getName() + ">" : w.toString());
        }
        return sb.append('>').toString();
    }
}
