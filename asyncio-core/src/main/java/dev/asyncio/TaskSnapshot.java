package dev.asyncio;

import dev.asyncio.engine.LoopEngine;
import dev.asyncio.engine.LoopRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@link TaskInfo#snapshotAll()}: each running loop's tasks read on its turn, then the awaited-by edges resolved
 * across loops (a task may await a coroutine of another loop through a bridge).
 */
final class TaskSnapshot {
    /** One task as read on its loop's turn, before ids are given. */
    private record Read(Task<?> task, String state, String awaits, List<StackTraceElement> frames, List<Task<?>> awaiters) {
    }

    private TaskSnapshot() {
    }

    static List<TaskInfo> ofRunningLoops() {
        List<Read> reads = new ArrayList<>();
        for (LoopEngine running : LoopRegistry.runningLoops()) {
            reads.addAll(read((EventLoop) running.loop()));
        }
        Map<Task<?>, String> ids = new IdentityHashMap<>();
        Set<String> used = new HashSet<>();
        for (Read r : reads) {
            String id = hexId(r.task());
            for (int n = 2; !used.add(id); n++) {
                id = hexId(r.task()) + "#" + n;
            }
            ids.put(r.task(), id);
        }
        List<TaskInfo> infos = new ArrayList<>(reads.size());
        for (Read r : reads) {
            List<String> awaitedBy = new ArrayList<>();
            for (Task<?> a : r.awaiters()) {
                String id = ids.get(a);
                if (id != null) {
                    awaitedBy.add(id);
                }
            }
            infos.add(new TaskInfo(ids.get(r.task()), r.task().getName(), hexId(r.task().loop), r.state(), r.awaits(),
                    r.frames(), awaitedBy));
        }
        return infos;
    }

    static String hexId(Object o) {
        return "0x" + Integer.toHexString(System.identityHashCode(o));
    }

    /** The loop's tasks, on its turn if it answers, else read without it (the loop may be stuck in a step). */
    private static List<Read> read(EventLoop loop) {
        return TaskDump.readTasks(loop, (tasks, exact) -> read(loop, tasks));
    }

    private static List<Read> read(EventLoop loop, List<Task<?>> tasks) {
        Task<?> running = loop.engine.currentTask;
        List<Read> reads = new ArrayList<>(tasks.size());
        for (Task<?> t : tasks) {
            if (t.isDone()) {
                continue;
            }
            String state = t.thread == null ? "not started" : t == running ? "running" : "suspended";
            if (t.cancelling() > 0) {
                state += ", cancelling=" + t.cancelling();
            }
            Future<?> w = t.waitingOn();
            String awaits = w instanceof Task<?> other ? "Task '" + other.getName() + "'" : w != null ? w.toString() : "";
            if (t.sleepingUntil().isPresent()) {
                awaits = String.format(Locale.ROOT, "sleep until loop time %.3f", t.sleepingUntil().getAsDouble());
            }
            List<Task<?>> awaiters = new ArrayList<>();
            for (Future<?> a : CallGraph.awaiters(t)) {
                if (a instanceof Task<?> at) {
                    awaiters.add(at);
                }
            }
            reads.add(new Read(t, state, awaits, CallGraph.suspendedFrames(t), awaiters));
        }
        return reads;
    }
}
