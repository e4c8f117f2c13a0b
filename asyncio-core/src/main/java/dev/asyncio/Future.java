package dev.asyncio;

import dev.asyncio.engine.Exceptions;
import dev.asyncio.engine.LostException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * asyncio's {@code Future}: a result that will be set later, on one loop's turn, and awaited by its
 * coroutines.
 *
 * <p><b>Threading.</b> A future belongs to one {@link EventLoop}. Methods that change it
 * ({@link #setResult}, {@link #setException}, {@link #cancel}, {@link #addDoneCallback}) must be called
 * on that loop's turn (from its coroutines or callbacks) and throw {@link IllegalStateException}
 * elsewhere; from another thread use {@link EventLoop#callSoonThreadsafe}. The read-only methods
 * ({@link #isDone()}, {@link #isCancelled()}, and {@link #result()}/{@link #exception()} once done) may be
 * called from any thread.
 *
 * <p><b>Exceptions.</b> {@link #result()} and {@link #await()} rethrow the future's exception as the
 * very same object, checked or not, without wrapping: its stack trace shows the frames of the
 * coroutine that raised it. Since the compiler cannot see a checked exception thrown this way, catch
 * {@code Exception} and test with {@code instanceof} (or call {@link #exception()}) to handle one.
 *
 * <p><b>Lost errors.</b> A future whose exception is never retrieved (by {@code result()},
 * {@code exception()} or {@code await()}) is reported to the loop's exception handler as
 * "Future exception was never retrieved" when it is garbage-collected or when the loop closes. Calling
 * {@link #cancel} on the done future also counts as handling it, as in asyncio (whose {@code cancel()}
 * clears {@code _log_traceback} before it looks at the state): the caller chose to discard the outcome.
 *
 * @param <T> the result type
 */
public class Future<T> {
    static final byte PENDING = 0;
    static final byte CANCELLED = 1;
    static final byte FINISHED = 2;

    final EventLoop loop;
    private volatile byte state;
    private T result;
    private Throwable exception;
    /** {@code null}, one callback entry ({@link Task} or {@link DoneCallback}), or an {@code ArrayList} of them. */
    private Object callbacks;
    String cancelMessage;
    CancelledError cancelledError;
    private LostException lost;
    /** Set by {@link Gather} to find duplicates without a hash table: the gather that saw this future last. */
    Object gatherMark;
    /**
     * Awaiters recorded besides a task's own {@code await} ({@link CallGraph}): {@code null}, the one
     * awaiter (the common case: a gather's child), or a copy-on-write {@code Future<?>[]} of two or more.
     */
    volatile Object awaitedBy;
    /**
     * Done callbacks registered from other threads ({@link #addDoneCallbackFromAnyThread}): {@code null},
     * a stack of {@link RemoteCallback}s, or {@link #DRAINED} once the future is done and they were taken.
     */
    private volatile Object remote;
    private static final Object DRAINED = new Object();
    private static final VarHandle REMOTE;

    static {
        try {
            REMOTE = MethodHandles.lookup().findVarHandle(Future.class, "remote", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Creates a pending future on the running loop, or outside a coroutine on the thread's current loop
     * (as {@link Asyncio#getEventLoop()}).
     *
     * @throws IllegalStateException if there is neither
     */
    public Future() {
        this(Asyncio.getEventLoop());
    }

    /**
     * Creates a pending future on {@code loop}; same as {@link EventLoop#createFuture()}.
     *
     * @param loop the loop whose turn completes and awaits it
     */
    public Future(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /** @return the loop this future belongs to */
    public EventLoop getLoop() {
        return loop;
    }

    /** @return whether the future has a result, an exception, or was cancelled */
    public boolean isDone() {
        return state != PENDING;
    }

    /** @return whether the future was cancelled */
    public boolean isCancelled() {
        return state == CANCELLED;
    }

    /**
     * Returns the result, or rethrows the future's exception unchanged; marks the exception retrieved.
     *
     * @return the result
     * @throws CancelledError if the future was cancelled
     * @throws InvalidStateError if the future is not done yet
     */
    public T result() {
        byte s = state;
        if (s == CANCELLED) {
            throw cancelledError();
        }
        if (s != FINISHED) {
            throw new InvalidStateError("Result is not ready: " + this + "; await() it inside a coroutine instead");
        }
        Throwable e = exception;
        if (e != null) {
            markRetrieved();
            throw Exceptions.sneaky(e);
        }
        return result;
    }

    /**
     * Returns the exception the future finished with, or {@code null} if it has a result; marks it
     * retrieved.
     *
     * @return the exception, or {@code null}
     * @throws CancelledError if the future was cancelled
     * @throws InvalidStateError if the future is not done yet
     */
    public Throwable exception() {
        byte s = state;
        if (s == CANCELLED) {
            throw cancelledError();
        }
        if (s != FINISHED) {
            throw new InvalidStateError("Exception is not set: " + this + " is still pending");
        }
        markRetrieved();
        return exception;
    }

    /**
     * Suspends the calling coroutine until this future is done, then returns its result or rethrows
     * its exception unchanged (see the class comment). On a future that is already done it returns at
     * once, without yielding to other tasks, as {@code await fut} does in asyncio.
     *
     * <p>If the awaiting task is cancelled meanwhile, this future is cancelled too and
     * {@link CancelledError} is thrown; use {@link Asyncio#shield} to protect it.
     *
     * @return the result
     * @throws CancelledError if this future or the awaiting task was cancelled
     * @throws IllegalStateException if not called from a coroutine of this future's loop
     */
    public T await() {
        Task<?> task = EventLoopEngine.requireCurrentTask("await()");
        if (state != PENDING) {
            return result();
        }
        if (task.loop != loop) {
            throw new IllegalStateException("Task " + task.getName() + " of " + task.loop
                    + " cannot await a future attached to a different loop " + loop);
        }
        if (task == this) {
            throw new IllegalStateException("Task " + task.getName() + " cannot await itself");
        }
        task.awaitFuture(this);
        return result();
    }

    /**
     * Cancels the future without a message; see {@link #cancel(String)}.
     *
     * @return {@code false} if the future was already done, else {@code true}
     * @throws IllegalStateException if called off the loop's turn
     */
    public boolean cancel() {
        return cancel(null);
    }

    /**
     * Cancels the future and schedules its callbacks, asyncio's {@code cancel(msg)}.
     *
     * <p>On a future that is already done nothing changes and {@code false} is returned, but an
     * exception it holds counts as retrieved from then on: it is no longer reported as "exception was
     * never retrieved" (asyncio clears the future's {@code _log_traceback} before checking its state).
     *
     * @param message the message of the {@link CancelledError} that {@link #result()} throws, or
     *     {@code null}
     * @return {@code false} if the future was already done, else {@code true}
     * @throws IllegalStateException if called off the loop's turn
     */
    public boolean cancel(String message) {
        loop.engine.checkThread("Future.cancel");
        return cancelPlain(message);
    }

    final boolean cancelPlain(String message) {
        // Before the state check, as asyncio's `self.__log_traceback = False`: whoever cancels a
        // future that already failed has decided its outcome does not matter.
        markRetrieved();
        if (state != PENDING) {
            return false;
        }
        cancelMessage = message;
        state = CANCELLED;
        scheduleCallbacks();
        return true;
    }

    /**
     * Marks the future done with {@code value} and schedules its callbacks.
     *
     * @param value the result, may be {@code null}
     * @throws InvalidStateError if the future is already done
     * @throws IllegalStateException if called off the loop's turn
     * @throws UnsupportedOperationException always, if this future is a {@link Task} (a task's outcome
     *     is its coroutine's)
     */
    public void setResult(T value) {
        loop.engine.checkThread("Future.setResult");
        if (state != PENDING) {
            throw new InvalidStateError("setResult on a future that is already done: " + this);
        }
        complete(value);
    }

    final void complete(T value) {
        result = value;
        state = FINISHED;
        scheduleCallbacks();
    }

    /**
     * Marks the future done with {@code error} and schedules its callbacks.
     *
     * @param error the exception
     * @throws InvalidStateError if the future is already done
     * @throws IllegalStateException if called off the loop's turn
     * @throws UnsupportedOperationException always, if this future is a {@link Task} (a task's outcome
     *     is its coroutine's)
     */
    public void setException(Throwable error) {
        Objects.requireNonNull(error, "error");
        loop.engine.checkThread("Future.setException");
        if (state != PENDING) {
            throw new InvalidStateError("setException on a future that is already done: " + this);
        }
        fail(error);
    }

    final void fail(Throwable error) {
        exception = error;
        state = FINISHED;
        if (error instanceof CancelledError) {
            // gather() finishes with a child's CancelledError as its exception; nothing is lost there.
            scheduleCallbacks();
            return;
        }
        lost = loop.engine.unretrieved.track(this, error, this instanceof Task ? "Task" : "Future", toString());
        scheduleCallbacks();
    }

    final void finishCancelled(CancelledError error, String message) {
        cancelledError = error;
        cancelPlain(message);
    }

    /**
     * Runs {@code callback} with this future once it is done, in a later iteration of the loop (at once
     * scheduled if already done), in a copy of the current {@link Context}.
     *
     * @param callback receives this future
     * @throws IllegalStateException if called off the loop's turn
     */
    public void addDoneCallback(Consumer<? super Future<T>> callback) {
        addDoneCallback(callback, null);
    }

    /**
     * Runs {@code callback} with this future once it is done, in {@code context}: the callback runs with
     * that context as the current one and its {@link ContextVar#set} calls stay in it, as asyncio's
     * {@code add_done_callback(cb, context=ctx)}.
     *
     * @param callback receives this future
     * @param context the context to run it in, or {@code null} for a copy of the current one
     * @throws IllegalStateException if called off the loop's turn
     */
    public void addDoneCallback(Consumer<? super Future<T>> callback, Context context) {
        Objects.requireNonNull(callback, "callback");
        loop.engine.checkThread("Future.addDoneCallback");
        // An explicit context is run in as is, so the callback's changes stay in it (asyncio's ctx.run).
        if (state != PENDING) {
            loop.engine.schedule(new Handle(loop, () -> callback.accept(this), context));
        } else {
            addEntry(new DoneCallback<>(this, callback, context));
        }
    }

    /**
     * Removes every registration of {@code callback}.
     *
     * @param callback a callback passed to {@link #addDoneCallback}
     * @return how many registrations were removed
     */
    public int removeDoneCallback(Consumer<? super Future<T>> callback) {
        loop.engine.checkThread("Future.removeDoneCallback");
        if (state == PENDING && remote != null) {
            adoptRemote(null);
        }
        Object cbs = callbacks;
        if (cbs instanceof DoneCallback<?> d) {
            if (d.callback == callback) {
                callbacks = null;
                return 1;
            }
            return 0;
        }
        if (cbs instanceof ArrayList<?> list) {
            int before = list.size();
            list.removeIf(e -> e instanceof DoneCallback<?> d && d.callback == callback);
            return before - list.size();
        }
        return 0;
    }

    // ---- Java bridge (issue 3, "threads"); the logic lives in FutureBridge ----

    /**
     * A {@link java.util.concurrent.CompletableFuture} that completes with this future's outcome: its
     * result, the very same exception object, or, if this future is cancelled, the same
     * {@link CancelledError} (a {@link java.util.concurrent.CancellationException}, so the returned
     * future {@code isCancelled()}). Cancelling the returned future cancels this one (a task is
     * cancelled as by {@link Task#cancel()}), on the loop's turn. Completing it by other means
     * ({@code complete}, {@code obtrude…}) does not affect this future.
     *
     * <p>Handing the exception on counts as retrieving it (it is not reported as lost). Dependent stages
     * registered without an executor run on whichever thread completes the returned future: for a
     * future completed on the loop, the loop's turn, so keep them short and non-blocking.
     *
     * <p>The returned future, and every stage derived from it, refuses a blocking {@code get()} or
     * {@code join()} while it is pending on a loop's turn, with an {@link IllegalStateException} that
     * says to await it instead (blocking there would stop the loop that has to complete it).
     *
     * <p>May be called from any thread; off the loop's turn, while the loop runs, the link is made in
     * its next iteration.
     *
     * @return a {@code CompletableFuture} tied to this future
     */
    public java.util.concurrent.CompletableFuture<T> toCompletableFuture() {
        return FutureBridge.toCompletableFuture(this);
    }

    /**
     * Runs {@code callback} with this future once it is done, on the loop, as {@link #addDoneCallback}
     * (in a copy of the loop's empty context), but callable from any thread without a round trip through
     * the loop: a registration that arrives while the future is pending is taken by the completion itself,
     * so the loop is not woken for it. Once the future is done, {@code callback} is scheduled with
     * {@link EventLoop#callSoonThreadsafe}, or, if the loop is closed by then, run on the calling thread.
     * Runs exactly once in every case.
     *
     * <p>Why: a WebFlux handler's {@code Task} is subscribed to on a Netty thread while the task is
     * pending; a {@code callSoonThreadsafe} for the registration could wake the loop a second time for
     * the same request (see {@code benchmarks/README.md}, "Web load test").
     */
    final void addDoneCallbackFromAnyThread(Consumer<? super Future<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        if (loop.engine.isOnTurn()) {
            addDoneCallback(callback);
            return;
        }
        RemoteCallback<T> node = new RemoteCallback<>(callback);
        Object top;
        do {
            top = remote;
            if (top == DRAINED) {
                runDoneCallbackLater(callback);
                return;
            }
            node.next = (RemoteCallback<T>) top;
        } while (!REMOTE.compareAndSet(this, top, node));
        // Dekker pairing with scheduleCallbacks(), which writes the state before it reads `remote`: if the
        // completion may have missed the push, whoever swaps the stack out first schedules it.
        if (state != PENDING) {
            for (RemoteCallback<T> c : takeRemote(DRAINED)) {
                runDoneCallbackLater(c.callback);
            }
        }
    }

    /** Off the turn, once done: on the loop, or here if the loop is closed (it can run nothing more). */
    private void runDoneCallbackLater(Consumer<? super Future<T>> callback) {
        try {
            loop.callSoonThreadsafe(() -> callback.accept(this));
        } catch (IllegalStateException closed) {
            callback.accept(this);
        }
    }

    /** On the turn: moves the other threads' registrations to {@link #callbacks}. */
    private void adoptRemote(Object replacement) {
        for (RemoteCallback<T> c : takeRemote(replacement)) {
            addEntry(new DoneCallback<>(this, c.callback, null));
        }
    }

    /**
     * Swaps the other threads' registrations out for {@code replacement} ({@code null} while pending,
     * {@link #DRAINED} once done); whoever swaps a stack out runs or schedules it, so each runs once.
     *
     * @return what was registered, in registration order
     */
    @SuppressWarnings("unchecked")
    private List<RemoteCallback<T>> takeRemote(Object replacement) {
        Object taken = REMOTE.getAndSet(this, replacement);
        return taken instanceof RemoteCallback<?> top ? RemoteCallback.inOrder((RemoteCallback<T>) top) : List.of();
    }

    /** A registration from another thread: one node of a stack. */
    private static final class RemoteCallback<T> {
        final Consumer<? super Future<T>> callback;
        RemoteCallback<T> next;

        RemoteCallback(Consumer<? super Future<T>> callback) {
            this.callback = callback;
        }

        /** The stack from {@code top} down, reversed: registration order. */
        static <T> List<RemoteCallback<T>> inOrder(RemoteCallback<T> top) {
            ArrayList<RemoteCallback<T>> list = new ArrayList<>();
            for (RemoteCallback<T> c = top; c != null; c = c.next) {
                list.add(c);
            }
            java.util.Collections.reverse(list);
            return list;
        }
    }

    /** Registers a task to wake when this future is done (the task's {@code __wakeup}). */
    final void addWaiter(Task<?> task) {
        addEntry(task);
    }

    /** @return the tasks suspended in {@code await} on this future, for {@link CallGraph}; a snapshot */
    final List<Task<?>> waitingTasks() {
        Object cbs = callbacks;
        Object[] entries = cbs instanceof ArrayList<?> list ? list.toArray() : new Object[] {cbs};
        List<Task<?>> tasks = new ArrayList<>(1);
        for (Object e : entries) {
            if (e instanceof Task<?> t && t.isWaitingOn(this)) {
                tasks.add(t);
            }
        }
        return tasks;
    }

    final void removeWaiter(Task<?> task) {
        Object cbs = callbacks;
        if (cbs == task) {
            callbacks = null;
        } else if (cbs instanceof ArrayList<?> list) {
            list.remove(task);
        }
    }

    @SuppressWarnings("unchecked")
    private void addEntry(Object entry) {
        Object cbs = callbacks;
        if (cbs == null) {
            callbacks = entry;
        } else if (cbs instanceof ArrayList<?> list) {
            ((ArrayList<Object>) list).add(entry);
        } else {
            ArrayList<Object> list = new ArrayList<>(4);
            list.add(cbs);
            list.add(entry);
            callbacks = list;
        }
    }

    private void scheduleCallbacks() {
        // The state was written just before: if a registration from another thread is pushed after this
        // read, that thread sees the state and schedules it itself.
        if (remote != null) {
            adoptRemote(DRAINED);
        }
        Object cbs = callbacks;
        if (cbs == null) {
            return;
        }
        callbacks = null;
        if (cbs instanceof ArrayList<?> list) {
            for (Object entry : list) {
                scheduleEntry(entry);
            }
        } else {
            scheduleEntry(cbs);
        }
    }

    private void scheduleEntry(Object entry) {
        if (entry instanceof Task<?> task) {
            loop.engine.wake(task);
        } else {
            loop.engine.schedule((DoneCallback<?>) entry);
        }
    }

    CancelledError cancelledError() {
        CancelledError e = cancelledError;
        if (e == null) {
            e = cancelMessage == null ? new CancelledError() : new CancelledError(cancelMessage);
            cancelledError = e;
        }
        return e;
    }

    final void markRetrieved() {
        LostException l = lost;
        if (l != null) {
            lost = null;
            l.retrieved();
        }
    }

    final T rawResult() {
        return result;
    }

    final Throwable rawException() {
        return exception;
    }

    String stateName() {
        return switch (state) {
            case PENDING -> "pending";
            case CANCELLED -> "cancelled";
            default -> "finished";
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<Future ").append(stateName());
        appendOutcome(sb);
        return sb.append('>').toString();
    }

    final void appendOutcome(StringBuilder sb) {
        if (state == FINISHED) {
            if (exception != null) {
                sb.append(" exception=").append(exception);
            } else {
                String r = String.valueOf(result);
                sb.append(" result=").append(r.length() > 60 ? r.substring(0, 57) + "..." : r);
            }
        }
    }

    /** A callback registered with {@link #addDoneCallback}, run as a handle in its context. */
    static final class DoneCallback<T> extends Handle {
        private final Future<T> future;
        final Consumer<? super Future<T>> callback;

        DoneCallback(Future<T> future, Consumer<? super Future<T>> callback, Context context) {
            // No Runnable of its own: a gather of a million registers a million of these, each live until its
            // child is done, and a capturing lambda per registration was one more object (24 B) each.
            super(future.loop, null, context);
            this.future = future;
            this.callback = callback;
        }

        @Override
        void runCallback() {
            callback.accept(future);
        }

        @Override
        Object describedCallback() {
            return callback;
        }
    }
}
