package dev.asyncio.test;

import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The text that says what every task of a test loop is doing: its state, the future it awaits and the
 * frames of its coroutine where it is suspended (or running). Printed when a test times out and when
 * tasks are left running at its end.
 */
final class TaskDump {
    /** Frames of the loop's suspension machinery; the dump starts below them, where the user's code is. */
    private static final Set<String> MACHINERY = Set.of("dev.asyncio.EventLoop", "dev.asyncio.Task",
            "dev.asyncio.Poller", "dev.asyncio.LoopCarrier");
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
        sb.append("\n    awaits: ").append(awaited == null ? "nothing (ready to run, running, or not started)" : awaited);
        StackTraceElement[] stack = task.getStack();
        int i = 0;
        while (i < stack.length && isMachinery(stack[i])) {
            i++;
        }
        if (i == stack.length) {
            i = 0;
        }
        int shown = 0;
        for (; i < stack.length && shown < MAX_FRAMES; i++, shown++) {
            sb.append("\n      at ").append(stack[i]);
        }
        if (i < stack.length) {
            sb.append("\n      ... ").append(stack.length - i).append(" more");
        }
    }

    private static boolean isMachinery(StackTraceElement frame) {
        String c = frame.getClassName();
        return c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.") || MACHINERY.contains(c);
    }
}
