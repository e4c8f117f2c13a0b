package dev.asyncio;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/** {@link EventLoop#dumpTasks()}: every pending task, what it awaits, who awaits it, and its stack. */
final class TaskDump {
    /** How long a foreign thread waits for a running loop to make the listing itself. */
    private static final long ANSWER_MILLIS = 1000;

    private TaskDump() {
    }

    static String of(EventLoop loop) {
        return readTasks(loop, (tasks, exact) -> format(loop, tasks, exact));
    }

    /**
     * Reads {@code loop}'s tasks with {@code read} where that is safe: on its turn (at once if the caller
     * holds it or the loop is idle, else through a threadsafe call it answers within {@link #ANSWER_MILLIS}),
     * with {@code exact} true; otherwise without its help, with {@code exact} false: when the caller holds
     * another loop's turn (it must not block it), or when the loop does not answer (closed, or stuck in a step).
     * Also {@link TaskSnapshot}'s way in. Any thread.
     */
    static <R> R readTasks(EventLoop loop, BiFunction<List<Task<?>>, Boolean, R> read) {
        if (loop.engine.turn.isOnTurnOrIdle()) {
            return read.apply(loop.allTasks(), true);
        }
        if (EventLoopEngine.runningLoop() == null) {
            CompletableFuture<R> answer = new CompletableFuture<>();
            try {
                loop.callSoonThreadsafe(() -> answer.complete(read.apply(loop.allTasks(), true)));
                return answer.get(ANSWER_MILLIS, TimeUnit.MILLISECONDS);
            } catch (IllegalStateException | ExecutionException | TimeoutException e) {
                // closed meanwhile, or stuck: read without its help below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return read.apply(loop.engine.tasks.allUnsafe(), false);
    }

    private static String format(EventLoop loop, List<Task<?>> tasks, boolean exact) {
        Map<Future<?>, List<Task<?>>> awaitedBy = new IdentityHashMap<>();
        for (Task<?> t : tasks) {
            Future<?> w = t.waitingOn();
            if (w != null) {
                awaitedBy.computeIfAbsent(w, k -> new ArrayList<>()).add(t);
            }
        }
        // The task whose step runs, not the thread holding the turn: an idle loop waits on the thread of
        // the task that suspended last, and a callback (this listing among them) may run there too.
        Task<?> running = loop.engine.currentTask;
        StringBuilder sb = new StringBuilder();
        sb.append(tasks.size()).append(tasks.size() == 1 ? " pending task of " : " pending tasks of ").append(loop);
        if (!exact) {
            sb.append(" (read while the loop held its turn elsewhere: may be inconsistent)");
        }
        sb.append('\n');
        for (Task<?> t : tasks) {
            Thread th = t.thread;
            String state = th == null ? "not started" : t == running ? "running" : "suspended";
            sb.append("* Task '").append(t.getName()).append("' (").append(state);
            if (t.cancelling() > 0) {
                sb.append(", cancelling=").append(t.cancelling());
            }
            sb.append(")\n");
            Future<?> w = t.waitingOn();
            if (w != null) {
                sb.append("    awaits: ").append(w instanceof Task<?> other ? "Task '" + other.getName() + "'" : w).append('\n');
            }
            t.sleepingUntil().ifPresent(when -> sb.append("    awaits: sleep until loop time ").append(when).append('\n'));
            List<Task<?>> waiters = awaitedBy.get(t);
            if (waiters != null) {
                sb.append("    awaited by:");
                for (Task<?> waiter : waiters) {
                    sb.append(" Task '").append(waiter.getName()).append('\'');
                }
                sb.append('\n');
            }
            for (StackTraceElement e : coroutineFrames(t.getStack())) {
                sb.append("        at ").append(e).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * The frames of the coroutine itself: from the public call that suspended it ({@code await()},
     * {@code sleep()}, …) down to its body, without the loop's machinery above and below.
     */
    static List<StackTraceElement> coroutineFrames(StackTraceElement[] stack) {
        int from = 0;
        int to = stack.length;
        for (int i = 0; i < stack.length; i++) {
            StackTraceElement e = stack[i];
            if (e.getMethodName().equals("dumpTasks")
                    && (e.getClassName().equals(EventLoop.class.getName()) || e.getClassName().equals(Asyncio.class.getName()))) {
                from = i + 1; // the task making this listing: start at its own call
            } else if (e.getClassName().equals(Task.class.getName())) {
                String m = e.getMethodName();
                if (m.equals("awaitFuture") || m.equals("yieldOnce") || m.equals("sleepUntil")) {
                    from = i + 1;
                } else if (m.equals("runOnThread")) {
                    to = i;
                    break;
                }
            }
        }
        return from < to ? List.of(stack).subList(from, to) : List.of(stack);
    }
}
