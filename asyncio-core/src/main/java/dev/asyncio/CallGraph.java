package dev.asyncio;

import java.io.PrintStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * asyncio 3.14's {@code asyncio.graph} and the awaited-by bookkeeping of {@code asyncio.futures}, behind
 * {@link Asyncio#captureCallGraph}, {@link Asyncio#formatCallGraph}, {@link Asyncio#printCallGraph},
 * {@link Asyncio#futureAddToAwaitedBy} and {@link Asyncio#futureDiscardFromAwaitedBy}.
 *
 * <p>Who awaits a future: the tasks suspended in {@code await} on it (read from its waiters, so a plain
 * {@code await} costs nothing more), and the edges recorded in {@link Future#awaitedBy}: the one awaiter itself, or a
 * copy-on-write array of several (a gather's million children need no million arrays), changed by
 * compare-and-set: the Reactor bridge records an edge from the loop of the awaited
 * coroutine while the awaiter's loop may be reading it.
 */
final class CallGraph {
    private static final VarHandle AWAITED_BY;
    private static final Future<?>[] NONE = new Future<?>[0];
    private static final Set<String> FACADE_METHODS = Set.of("captureCallGraph", "formatCallGraph", "printCallGraph");

    static {
        try {
            AWAITED_BY = MethodHandles.lookup().findVarHandle(Future.class, "awaitedBy", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private CallGraph() {
    }

    /** asyncio's {@code future_add_to_awaited_by}: a set, so a second add of the same waiter changes nothing. */
    static void addAwaitedBy(Future<?> future, Future<?> waiter) {
        Objects.requireNonNull(future, "future");
        Objects.requireNonNull(waiter, "waiter");
        for (;;) {
            Object now = future.awaitedBy;
            Object next;
            if (now == null) {
                next = waiter;
            } else if (now instanceof Future<?> one) {
                if (one == waiter) {
                    return;
                }
                next = new Future<?>[] {one, waiter};
            } else {
                Future<?>[] all = (Future<?>[]) now;
                if (indexOf(all, waiter) >= 0) {
                    return;
                }
                Future<?>[] grown = Arrays.copyOf(all, all.length + 1);
                grown[all.length] = waiter;
                next = grown;
            }
            if (AWAITED_BY.compareAndSet(future, now, next)) {
                return;
            }
        }
    }

    /** asyncio's {@code future_discard_from_awaited_by}: nothing happens if the edge is not there. */
    static void discardAwaitedBy(Future<?> future, Future<?> waiter) {
        Objects.requireNonNull(future, "future");
        Objects.requireNonNull(waiter, "waiter");
        for (;;) {
            Object now = future.awaitedBy;
            Object next;
            if (now == waiter) {
                next = null;
            } else if (now instanceof Future<?>[] all && indexOf(all, waiter) >= 0) {
                int i = indexOf(all, waiter);
                if (all.length == 2) {
                    next = all[1 - i];
                } else {
                    Future<?>[] shrunk = new Future<?>[all.length - 1];
                    System.arraycopy(all, 0, shrunk, 0, i);
                    System.arraycopy(all, i + 1, shrunk, i, all.length - i - 1);
                    next = shrunk;
                }
            } else {
                return;
            }
            if (AWAITED_BY.compareAndSet(future, now, next)) {
                return;
            }
        }
    }

    /** The awaiters a value of {@link Future#awaitedBy} stands for. */
    private static Future<?>[] recorded(Object awaitedBy) {
        return awaitedBy == null ? NONE : awaitedBy instanceof Future<?> one ? new Future<?>[] {one} : (Future<?>[]) awaitedBy;
    }

    private static int indexOf(Future<?>[] futures, Future<?> f) {
        for (int i = 0; i < futures.length; i++) {
            if (futures[i] == f) {
                return i;
            }
        }
        return -1;
    }

    /** @return the futures awaiting {@code future}: recorded edges first, then tasks suspended on it; no duplicates */
    static List<Future<?>> awaiters(Future<?> future) {
        Future<?>[] recorded = recorded(future.awaitedBy);
        List<Task<?>> waiting = future.waitingTasks();
        if (recorded.length == 0) {
            return Collections.unmodifiableList(waiting);
        }
        List<Future<?>> all = new ArrayList<>(Arrays.asList(recorded));
        for (Task<?> t : waiting) {
            if (indexOf(recorded, t) < 0) {
                all.add(t);
            }
        }
        return all;
    }

    /**
     * asyncio's {@code capture_call_graph(future, depth=, limit=)}.
     *
     * @param future the future to describe, or {@code null} for the current task
     * @param depth frames to skip from the caller of the facade method (1: start at that caller)
     * @param limit {@code null} for every frame; {@code n > 0} the n oldest; {@code n < 0} the -n most recent
     * @return the graph, or {@code null} when {@code future} is {@code null} and no task runs (a callback)
     */
    static FutureCallGraph capture(Future<?> future, int depth, Integer limit) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be >= 1 (1 starts at the caller's frame): " + depth);
        }
        EventLoop loop = EventLoopEngine.runningLoop();
        Task<?> current = loop == null ? null : loop.engine.currentTask;
        if (future != null && future != current) {
            return build(future, limit, Collections.newSetFromMap(new IdentityHashMap<>()));
        }
        if (future == null && loop == null) {
            throw new IllegalStateException("captureCallGraph() was called outside of a running event loop and no "
                    + "future to introspect was given: pass the future or task to describe");
        }
        if (current == null) {
            return null;
        }
        List<StackTraceElement> frames = limit != null && limit == 0 ? List.of() : ownFrames(depth);
        Set<Future<?>> path = Collections.newSetFromMap(new IdentityHashMap<>());
        path.add(current);
        return new FutureCallGraph(current, entries(frames, limit), awaitedBy(current, limit, path));
    }

    private static FutureCallGraph build(Future<?> future, Integer limit, Set<Future<?>> path) {
        List<StackTraceElement> frames = List.of();
        if (future instanceof Task<?> t && (limit == null || limit != 0)) {
            // The calling task as someone's awaiter: its stack is this capture's, cut at the caller.
            frames = t.thread == Thread.currentThread() && !t.isDone() ? ownFrames(1) : suspendedFrames(t);
        }
        path.add(future);
        try {
            return new FutureCallGraph(future, entries(frames, limit), awaitedBy(future, limit, path));
        } finally {
            path.remove(future);
        }
    }

    /** A cycle (possible only through {@link #addAwaitedBy}) is cut: a future on the path is not expanded again. */
    private static List<FutureCallGraph> awaitedBy(Future<?> future, Integer limit, Set<Future<?>> path) {
        List<FutureCallGraph> graphs = new ArrayList<>();
        for (Future<?> waiter : awaiters(future)) {
            if (!path.contains(waiter)) {
                graphs.add(build(waiter, limit, path));
            }
        }
        return graphs;
    }

    /** A task's frames from the code that awaits on, without the {@code Future.await} it is suspended in. */
    static List<StackTraceElement> suspendedFrames(Task<?> t) {
        List<StackTraceElement> frames = TaskDump.coroutineFrames(t.getStack());
        int from = 0;
        while (from < frames.size() && frames.get(from).getClassName().equals(Future.class.getName())
                && frames.get(from).getMethodName().equals("await")) {
            from++;
        }
        return frames.subList(from, frames.size());
    }

    /** The calling task's frames from the caller of the facade method on, down to the task's body. */
    private static List<StackTraceElement> ownFrames(int depth) {
        StackTraceElement[] stack = Thread.currentThread().getStackTrace();
        int from = 0;
        int to = stack.length;
        for (int i = 0; i < stack.length; i++) {
            String cls = stack[i].getClassName();
            String method = stack[i].getMethodName();
            if (cls.equals(CallGraph.class.getName())
                    || cls.equals(Asyncio.class.getName()) && FACADE_METHODS.contains(method)) {
                from = i + 1;
            } else if (cls.equals(Task.class.getName()) && method.equals("runOnThread")) {
                to = i;
                break;
            }
        }
        from = Math.min(to, from + depth - 1);
        return Arrays.asList(stack).subList(from, to);
    }

    /** asyncio's {@code limit}, on frames listed most recent first. */
    private static List<FrameCallGraphEntry> entries(List<StackTraceElement> frames, Integer limit) {
        int n = frames.size();
        List<StackTraceElement> kept = limit == null ? frames
                : limit >= 0 ? frames.subList(Math.max(0, n - limit), n)
                : frames.subList(0, (int) Math.min(n, -(long) limit));
        List<FrameCallGraphEntry> entries = new ArrayList<>(kept.size());
        for (StackTraceElement e : kept) {
            entries.add(new FrameCallGraphEntry(e));
        }
        return entries;
    }

    /** asyncio's {@code format_call_graph}: one block per node, awaiters indented under it. */
    static String format(FutureCallGraph graph) {
        if (graph == null) {
            return "";
        }
        List<String> lines = new ArrayList<>();
        render(graph, lines, 0);
        return String.join("\n", lines);
    }

    private static void render(FutureCallGraph node, List<String> lines, int level) {
        String indent = "    ".repeat(level);
        lines.add(indent + describe(node.future()));
        if (!node.callStack().isEmpty()) {
            lines.add(indent + "  + Call stack:");
            for (FrameCallGraphEntry e : node.callStack()) {
                lines.add(indent + "  |   at " + e.frame());
            }
        }
        if (!node.awaitedBy().isEmpty()) {
            lines.add(indent + "  + Awaited by:");
            for (FutureCallGraph waiter : node.awaitedBy()) {
                render(waiter, lines, level + 1);
            }
        }
    }

    /** asyncio's node heading; the id is the identity hash, the JVM's stand-in for Python's {@code id()}. */
    static String describe(Future<?> future) {
        String id = "0x" + Integer.toHexString(System.identityHashCode(future));
        return future instanceof Task<?> t ? "* Task(name='" + t.getName() + "', id=" + id + ")" : "* Future(id=" + id + ")";
    }

    static void print(FutureCallGraph graph, PrintStream out) {
        out.println(format(graph));
    }
}
