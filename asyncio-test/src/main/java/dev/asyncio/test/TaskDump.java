package dev.asyncio.test;

import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The text that says what every task of a test loop is doing: its state, the future it awaits and the
 * frames of its coroutine where it is suspended (or running). Printed when a test times out and when
 * tasks are left running at its end.
 */
final class TaskDump {
    private static final int MAX_FRAMES = 25;

    private TaskDump() {
    }

    /**
     * @param loop the loop, for its clock and its external work in flight
     * @param tasks the tasks to describe
     * @param heading what the dump is about, e.g. "tasks still pending"
     * @return a multi-line description
     */
    static String of(EventLoop loop, List<Task<?>> tasks, String heading) {
        StringBuilder sb = new StringBuilder();
        sb.append(tasks.size()).append(tasks.size() == 1 ? " task " : " tasks ").append(heading)
                .append(" at virtual time ").append(Duration.ofNanos(loop.timeNanos()))
                .append(" (").append(loop.externalWorkInFlight()).append(" external work in flight):");
        for (Task<?> t : tasks) {
            describe(sb, t);
        }
        return sb.toString();
    }

    private static void describe(StringBuilder sb, Task<?> task) {
        sb.append("\n  ").append(task);
        Future<?> awaited = task.awaiting();
        // Frames: from below the loop's suspend() (above it is loop bookkeeping that the waiting task's
        // thread runs itself) down to the coroutine's entry (below it is the task's start-up).
        OptionalDouble sleepEnd = task.sleepingUntil();
        sb.append("\n    awaits: ").append(awaited != null ? awaited
                : sleepEnd.isPresent() ? "sleep until loop time " + sleepEnd.getAsDouble()
                : "nothing (ready to run, running, or not started)");
        StackTraceElement[] stack = task.getStack();
        int start = 0;
        int end = stack.length;
        for (int i = 0; i < stack.length; i++) {
            StackTraceElement f = stack[i];
            if (isLoopFrame(f, "suspend")) {
                start = i + 1; // everything above is the loop's bookkeeping, run on this thread while it waits
            } else if (isTaskFrame(f, "runOnThread")) {
                end = i; // everything below is the task's own start-up
                break;
            }
        }
        if (start == 0) {
            while (start < end && isJdk(stack[start])) {
                start++;
            }
        }
        while (start < end && isTaskFrame(stack[start], null)) {
            start++;
        }
        int shown = 0;
        int i = start;
        for (; i < end && shown < MAX_FRAMES; i++, shown++) {
            sb.append("\n      at ").append(stack[i]);
        }
        if (i < end) {
            sb.append("\n      ... ").append(end - i).append(" more");
        }
    }

    private static boolean isLoopFrame(StackTraceElement f, String method) {
        return f.getClassName().equals("dev.asyncio.EventLoop") && f.getMethodName().equals(method);
    }

    private static boolean isTaskFrame(StackTraceElement f, String method) {
        return f.getClassName().equals("dev.asyncio.Task") && (method == null || f.getMethodName().equals(method));
    }

    private static boolean isJdk(StackTraceElement f) {
        String c = f.getClassName();
        return c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.");
    }
}
