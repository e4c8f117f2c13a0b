package dev.asyncio;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * JDK Flight Recorder events of the loops: a task created, finished (with its outcome), asked to cancel, and
 * a step that held its loop's turn longer than a threshold, so that a recording shows what the loop did next to
 * the JVM's own events (GC, pinned virtual threads, I/O). Category "asyncio" in JDK Mission Control; names
 * {@code dev.asyncio.TaskCreate}, {@code dev.asyncio.TaskFinish}, {@code dev.asyncio.TaskCancel},
 * {@code dev.asyncio.TaskStep}.
 *
 * <p>Cost when not recording: each hook is a static {@code final} flag and the event's {@code isEnabled()},
 * whose event object the JIT removes; only a step being recorded keeps an object, in its loop's {@link EventLoopEngine#flightStep} (one step runs
 * at a time per loop; an eager first step saves and restores its creator's).
 * The core {@code requires static jdk.jfr}: on a runtime image without it {@link #AVAILABLE} is false and no
 * event class is ever loaded.
 */
final class FlightEvents {
    /** Whether the {@code jdk.jfr} module is there and readable; the hooks do nothing otherwise. */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr")
            .map(FlightEvents.class.getModule()::canRead).orElse(false);

    private FlightEvents() {
    }

    /** The fields every event names its task by: the ids {@code ps} and the call graph show. */
    private static void describe(TaskEvent e, Task<?> t) {
        e.taskName = t.getName();
        e.taskId = TaskSnapshot.hexId(t);
        e.loopId = TaskSnapshot.hexId(t.loop);
    }

    /** In the task's constructor, on the creating thread. */
    static void taskCreated(Task<?> t) {
        if (AVAILABLE) {
            TaskCreate e = new TaskCreate();
            if (e.shouldCommit()) {
                describe(e, t);
                e.commit();
            }
        }
    }

    /** When a task is done, on the loop's turn. */
    static void taskFinished(Task<?> t) {
        if (AVAILABLE) {
            TaskFinish e = new TaskFinish();
            if (e.shouldCommit()) {
                describe(e, t);
                Throwable error = t.isCancelled() ? null : t.rawException();
                e.outcome = t.isCancelled() ? "cancelled" : error != null ? "exception" : "result";
                e.exception = error == null ? null : error.toString();
                e.commit();
            }
        }
    }

    /** At {@link Task#cancel(String)} of a pending task, on the loop's turn. */
    static void taskCancelRequested(Task<?> t, String message) {
        if (AVAILABLE) {
            TaskCancel e = new TaskCancel();
            if (e.shouldCommit()) {
                describe(e, t);
                e.message = message;
                e.commit();
            }
        }
    }

    /** The loop hands its turn to {@code t} for a step: begins a step event if steps are recorded. */
    static void stepBegins(Task<?> t) {
        if (AVAILABLE) {
            TaskStep e = new TaskStep();
            if (e.isEnabled()) {
                e.begin();
                t.loop.engine.flightStep = e;
            }
        }
    }

    /** The step of {@code t} (the loop's current task, or {@code null} after callbacks) ended. */
    static void stepEnds(Task<?> t) {
        if (AVAILABLE && t != null && t.loop.engine.flightStep instanceof TaskStep e) {
            t.loop.engine.flightStep = null;
            e.end();
            if (e.shouldCommit()) {
                describe(e, t);
                e.commit();
            }
        }
    }

    @Category("asyncio")
    abstract static class TaskEvent extends Event {
        @Label("Task Name")
        String taskName;
        @Label("Task Id")
        @Description("0x and the identity hash code, as dev.asyncio.tools.Ps and the call graph show it")
        String taskId;
        @Label("Loop Id")
        String loopId;
    }

    @Name("dev.asyncio.TaskCreate")
    @Label("Task Created")
    @Description("A task was created (asyncio's create_task), on the creating thread")
    @StackTrace(true)
    static final class TaskCreate extends TaskEvent {
    }

    @Name("dev.asyncio.TaskFinish")
    @Label("Task Finished")
    @Description("A task ended: with a result, an exception or cancelled")
    @StackTrace(false)
    static final class TaskFinish extends TaskEvent {
        @Label("Outcome")
        @Description("result, exception or cancelled")
        String outcome;
        @Label("Exception")
        String exception;
    }

    @Name("dev.asyncio.TaskCancel")
    @Label("Task Cancel Requested")
    @Description("Task.cancel() was called on a pending task")
    @StackTrace(true)
    static final class TaskCancel extends TaskEvent {
        @Label("Message")
        String message;
    }

    @Name("dev.asyncio.TaskStep")
    @Label("Slow Task Step")
    @Description("A task step (from the loop handing it the turn to its next suspension) that took longer than the "
            + "threshold, 20 ms unless the recording's settings say otherwise: nothing else ran on its loop meanwhile")
    @Threshold("20 ms")
    @StackTrace(false)
    static final class TaskStep extends TaskEvent {
    }
}
