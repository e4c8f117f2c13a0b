package dev.asyncio;

import dev.asyncio.engine.Exceptions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * asyncio's {@code TaskGroup}: structured concurrency. Tasks created with {@link #createTask} belong to
 * the group; the group ends only when every one of them has finished.
 *
 * <p><b>Failure.</b> The first child that fails (with anything but {@link CancelledError}) cancels
 * every other child and the group's body (the task that owns the group, its <em>parent</em>); when all
 * have finished, the errors of the children, and of the body if it failed, are raised together as a
 * {@link TaskGroupException} whose {@link TaskGroupException#exceptions()} lists them. A nested group's
 * failure appears there as a {@code TaskGroupException} of its own. The parent's
 * {@link Task#cancelling()} count is restored, so the parent goes on normally after catching the
 * exception, while a cancellation of the parent from outside still propagates. A
 * {@link VirtualMachineError} (e.g. {@code OutOfMemoryError}) raised by a child or the body plays the
 * part of Python's {@code KeyboardInterrupt}/{@code SystemExit}: it is raised alone, and the other
 * errors go to the loop's exception handler.
 *
 * <p><b>Ending early</b> (asyncio 3.15): {@link #cancel()} cancels every child and the body; the group
 * then ends normally, without raising {@code CancelledError} out of it.
 *
 * <h2>Use</h2>
 * {@link #run(Body)} (or {@link #call(ValueBody)} for a value) enters a group, runs the body with it,
 * and waits for its tasks; the group sees the body's exception, so a failing body cancels the children
 * and its error joins the group's exception, exactly as {@code async with asyncio.TaskGroup() as tg:}.
 * <pre>{@code
 * TaskGroup.run(tg -> {
 *     tg.createTask(() -> fetch("a"));
 *     tg.createTask(() -> fetch("b"));
 * });   // both done here, or TaskGroupException
 * }</pre>
 * There is no try-with-resources form: a {@code close()} cannot see the body's exception (what it throws
 * is only added as suppressed, JLS 14.20.3), so a failing body could not cancel the children nor a
 * cancelled body end the group as asyncio's {@code __aexit__} does.
 *
 * <p><b>Threads.</b> A group belongs to the task that created it; {@link #createTask} and
 * {@link #cancel()} may be called by any coroutine or callback of the same loop (children often add
 * siblings), on the loop's turn; elsewhere they throw {@link IllegalStateException}.
 */
public final class TaskGroup {
    /** The body of {@link TaskGroup#run(Body)}. */
    @FunctionalInterface
    public interface Body {
        /**
         * Runs inside the group.
         *
         * @param group the group, entered
         * @throws Exception any exception: it cancels the children and joins the group's errors
         */
        void run(TaskGroup group) throws Exception;
    }

    /**
     * The body of {@link TaskGroup#call(ValueBody)}.
     *
     * @param <T> its result type
     */
    @FunctionalInterface
    public interface ValueBody<T> {
        /**
         * Runs inside the group.
         *
         * @param group the group, entered
         * @return the value {@code call} returns once every child has finished
         * @throws Exception any exception: it cancels the children and joins the group's errors
         */
        T call(TaskGroup group) throws Exception;
    }

    private final EventLoop loop;
    private final Task<?> parent;
    private final Set<Task<?>> tasks = new LinkedHashSet<>();
    private final List<Throwable> errors = new ArrayList<>();
    private boolean exiting;
    private boolean exited;
    private boolean aborting;
    private boolean parentCancelRequested;
    private Throwable baseError;
    private Future<Void> onCompleted;

    private TaskGroup(Task<?> parent) {
        this.parent = parent;
        this.loop = parent.loop;
    }

    /**
     * Runs {@code body} in a new group and waits for all its tasks, with asyncio's full semantics (see
     * the class comment).
     *
     * @param body creates the group's tasks, and may await things meanwhile
     * @throws TaskGroupException if a child or the body failed
     * @throws CancelledError if the calling task was cancelled from outside
     * @throws IllegalStateException if not called from a coroutine
     */
    public static void run(Body body) {
        Objects.requireNonNull(body, "body");
        call(group -> {
            body.run(group);
            return null;
        });
    }

    /**
     * Runs {@code body} in a new group, waits for all its tasks and returns what the body returned;
     * see {@link #run(Body)}. If the group was ended early by {@link #cancel()} while the body was
     * suspended, the body never returned and this returns {@code null}.
     *
     * @param body creates the group's tasks
     * @param <T> its result type
     * @return the body's value
     * @throws TaskGroupException if a child or the body failed
     * @throws CancelledError if the calling task was cancelled from outside
     */
    public static <T> T call(ValueBody<T> body) {
        Objects.requireNonNull(body, "body");
        TaskGroup group = new TaskGroup(EventLoopEngine.requireCurrentTask("TaskGroup.run()"));
        T value;
        try {
            value = body.call(group);
        } catch (Throwable e) {
            Throwable out = group.exit(e);
            if (out == null) {
                return null;
            }
            throw Exceptions.sneaky(out);
        }
        Throwable out = group.exit(null);
        if (out != null) {
            throw Exceptions.sneaky(out);
        }
        return value;
    }

    /**
     * Creates a task in this group (asyncio's {@code TaskGroup.create_task}); see
     * {@link EventLoop#createTask(Coroutine)}. The loop's eager-start setting applies.
     *
     * @param coroutine the coroutine
     * @param <T> its result type
     * @return the task
     * @throws IllegalStateException if the group has finished or is shutting down (a child failed, or
     *     {@link #cancel()} was called): the coroutine then never runs; or off the loop's turn
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        return createTask(coroutine, null);
    }

    /**
     * Creates a named task in this group; see {@link #createTask(Coroutine)}.
     *
     * @param coroutine the coroutine
     * @param name the task's name, or {@code null} for "Task-N"
     * @param <T> its result type
     * @return the task
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        return createTask(coroutine, name, null, null);
    }

    /**
     * Creates a task in this group with asyncio 3.14's {@code create_task(coro, name=, context=,
     * eager_start=)} arguments; see {@link EventLoop#createTask(Coroutine, String, Context, boolean)}.
     *
     * @param coroutine the coroutine
     * @param name the task's name, or {@code null} for "Task-N"
     * @param context the context to run it in, or {@code null} for a copy of the current one
     * @param eagerStart whether to run its first step now, or {@code null} for the loop's setting
     *     ({@link EventLoop#isEagerTaskStart()})
     * @param <T> its result type
     * @return the task; done already if an eager first step finished it
     * @throws IllegalStateException if the group has finished or is shutting down, or off the loop's turn
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name, Context context, Boolean eagerStart) {
        Objects.requireNonNull(coroutine, "coroutine");
        loop.engine.checkThread("TaskGroup.createTask");
        if (exiting && tasks.isEmpty()) {
            throw new IllegalStateException("TaskGroup " + this + " is finished: it cannot take new tasks");
        }
        if (aborting) {
            throw new IllegalStateException("TaskGroup " + this + " is shutting down: it cannot take new tasks");
        }
        Task<T> task = eagerStart == null ? loop.createTask(coroutine, name, context)
                : loop.createTask(coroutine, name, context, eagerStart);
        tasks.add(task);
        task.addDoneCallback(this::onTaskDone);
        CallGraph.addAwaitedBy(task, parent);
        // An eagerly started child may have ended the group during its first step.
        if (aborting && !task.isDone()) {
            task.cancel();
        }
        return task;
    }

    /**
     * Creates a task without a result in this group; see {@link #createTask(Coroutine)}.
     *
     * @param coroutine the coroutine
     * @return the task
     */
    public Task<Void> createTask(VoidCoroutine coroutine) {
        return createTask(coroutine.asCoroutine(), null);
    }

    /**
     * Creates a named task without a result in this group; see {@link #createTask(Coroutine)}.
     *
     * @param coroutine the coroutine
     * @param name the task's name
     * @return the task
     */
    public Task<Void> createTask(VoidCoroutine coroutine, String name) {
        return createTask(coroutine.asCoroutine(), name);
    }

    /**
     * Ends the group early (asyncio 3.15's {@code TaskGroup.cancel}): cancels every child that is not
     * done and the body; the group then ends without raising {@code CancelledError} (unless the parent
     * is also being cancelled from outside). Idempotent; does nothing once the group has finished.
     *
     * @throws IllegalStateException off the loop's turn
     */
    public void cancel() {
        loop.engine.checkThread("TaskGroup.cancel");
        if (exiting && tasks.isEmpty()) {
            return;
        }
        if (!aborting) {
            abort();
            if (!parentCancelRequested) {
                parentCancelRequested = true;
                parent.cancel();
            }
        }
    }

    /**
     * asyncio's {@code __aexit__}: waits for the children and decides how the group ends.
     *
     * @param et the body's exception, or {@code null}
     * @return what to raise, or {@code null} to end normally (swallowing {@code et} if any)
     */
    private Throwable exit(Throwable et) {
        if (exited || exiting) {
            throw new IllegalStateException("TaskGroup " + this + " has already been exited");
        }
        exiting = true;
        try {
            return exitWaiting(et);
        } finally {
            exited = true;
        }
    }

    private Throwable exitWaiting(Throwable et) {
        if (et != null && isBaseError(et) && baseError == null) {
            baseError = et;
        }
        CancelledError propagateCancel = et instanceof CancelledError ce ? ce : null;
        if (et != null && !aborting) {
            // The parent is being cancelled, or the body failed: stop the children.
            abort();
        }
        CancelledError pendingCancel = null;
        // A loop, since waiting can be cancelled again and again while the children wind down.
        while (!tasks.isEmpty()) {
            if (onCompleted == null) {
                onCompleted = new Future<>(loop);
            }
            try {
                onCompleted.await();
            } catch (CancelledError ex) {
                pendingCancel = ex;
                if (!aborting) {
                    propagateCancel = ex;
                    abort();
                }
            }
            onCompleted = null;
        }
        if (baseError != null) {
            for (Throwable e : errors) {
                if (e != baseError) {
                    loop.callExceptionHandler(new ExceptionContext("TaskGroup task exception was not propagated because "
                            + "the TaskGroup is being closed with a " + baseError.getClass().getName(), e, null, null));
                }
            }
            if (et != null && et != baseError) {
                // Python keeps the body's exception as the base error's __context__; Java's nearest is suppressed.
                baseError.addSuppressed(et);
            }
            return baseError;
        }
        if (parentCancelRequested) {
            if (parent.uncancel() == 0) {
                propagateCancel = null;
            } else if (propagateCancel == null) {
                // The cancellation left over is not ours: do not drop it.
                propagateCancel = pendingCancel;
            }
        }
        if (propagateCancel != null && errors.isEmpty()) {
            return propagateCancel;
        }
        if (et != null && !(et instanceof CancelledError)) {
            errors.add(et);
        }
        if (!errors.isEmpty()) {
            if (parent.cancelling() > 0) {
                // Cancelled from outside too: keep the count, and have the request delivered again.
                parent.uncancel();
                parent.cancel();
            }
            return new TaskGroupException("unhandled errors in a TaskGroup", errors);
        }
        return null;
    }

    private void abort() {
        aborting = true;
        for (Task<?> t : tasks) {
            if (!t.isDone()) {
                t.cancel();
            }
        }
    }

    private void onTaskDone(Future<?> task) {
        tasks.remove(task);
        CallGraph.discardAwaitedBy(task, parent);
        if (onCompleted != null && tasks.isEmpty() && !onCompleted.isDone()) {
            onCompleted.complete(null);
        }
        if (task.isCancelled()) {
            return;
        }
        Throwable exc = task.exception();
        if (exc == null) {
            return;
        }
        errors.add(exc);
        if (isBaseError(exc) && baseError == null) {
            baseError = exc;
        }
        if (parent.isDone()) {
            loop.callExceptionHandler(new ExceptionContext("Task " + task + " has errored out but its parent task "
                    + parent.getName() + " is already completed", exc, task, null));
            return;
        }
        if (!aborting && !parentCancelRequested) {
            // Interrupt whatever the body is awaiting; the request is withdrawn when the group exits.
            abort();
            parentCancelRequested = true;
            parent.cancel();
        }
    }

    private static boolean isBaseError(Throwable e) {
        return e instanceof VirtualMachineError;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<TaskGroup");
        if (!tasks.isEmpty()) {
            sb.append(" tasks=").append(tasks.size());
        }
        if (!errors.isEmpty()) {
            sb.append(" errors=").append(errors.size());
        }
        if (aborting) {
            sb.append(" cancelling");
        } else if (!exited) {
            sb.append(" entered");
        }
        return sb.append('>').toString();
    }
}
