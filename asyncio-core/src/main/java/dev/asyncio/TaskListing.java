package dev.asyncio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The two listings of asyncio 3.14's {@code python -m asyncio ps} and {@code pstree}, made from a
 * {@link TaskInfo#snapshotAll()}: a table with a row per task and awaiter, and the await tree. Pure functions
 * of the snapshot, any thread; the {@code dev.asyncio:type=Tasks} MBean serves them and {@link dev.asyncio.tools.Ps} prints them.
 */
public final class TaskListing {
    private static final String TABLE_ROW = "%-12s %-14s %-20s %-12s %-32s %-50s %-50s %-20s %-14s";

    private TaskListing() {
    }

    /**
     * {@code ps}: a header, a rule, then one row per task and awaiter (a task nobody awaits has one row with
     * awaiter id {@code 0x0}, as asyncio's): the loop, the task's id and name, its state, what it awaits
     * ({@link TaskInfo#awaits()}, a column asyncio's table has not), the coroutine stack
     * (frames as {@code Class.method}, most recent first, joined by {@code ->}; lambda frames are left out and
     * an overload calling its sibling is shown once, in the tree too), the awaiter's own stack, the
     * awaiter's name and id. Columns are padded, never cut: a long stack widens its row.
     *
     * @param tasks a snapshot
     * @return the table, ending with a line break
     */
    public static String table(List<TaskInfo> tasks) {
        Map<String, TaskInfo> byId = byId(tasks);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(TABLE_ROW, "loop", "task id", "task name", "state", "awaits", "coroutine stack", "awaiter chain",
                "awaiter name", "awaiter id").stripTrailing()).append('\n');
        sb.append("-".repeat(232)).append('\n');
        for (TaskInfo t : tasks) {
            String stack = chain(t);
            if (t.awaitedBy().isEmpty()) {
                sb.append(String.format(TABLE_ROW, t.loop(), t.id(), t.name(), t.state(), t.awaits(), stack, "", "", "0x0")
                        .stripTrailing()).append('\n');
            }
            for (String awaiterId : t.awaitedBy()) {
                TaskInfo a = byId.get(awaiterId);
                sb.append(String.format(TABLE_ROW, t.loop(), t.id(), t.name(), t.state(), t.awaits(), stack, a == null ? "" : chain(a),
                        a == null ? "Unknown" : a.name(), awaiterId).stripTrailing()).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * {@code pstree}: the await tree, one root per task nobody awaits. Under a task, the frames it is
     * suspended in, outermost first, each one level deeper ({@code Class.method File.java:N}); the tasks it
     * awaits hang under the frame where it awaits them (several awaited from the same frames share the
     * path); a task that awaits no task shows its own frames. Task lines start with {@code (T)}.
     *
     * @param tasks a snapshot
     * @return the tree, ending with a line break; empty for no tasks
     * @throws IllegalStateException if the awaited-by edges form a cycle (possible through
     *     {@code Asyncio.futureAddToAwaitedBy}), with asyncio's message naming each cycle's tasks
     */
    public static String tree(List<TaskInfo> tasks) {
        Map<String, TaskInfo> byId = byId(tasks);
        List<List<String>> cycles = cycles(tasks, byId);
        if (!cycles.isEmpty()) {
            StringBuilder msg = new StringBuilder("ERROR: await-graph contains cycles - cannot print a tree!\n");
            for (List<String> c : cycles) {
                msg.append("\ncycle: ").append(c.stream().map(id -> byId.get(id).name()).collect(Collectors.joining(" → ")));
            }
            throw new IllegalStateException(msg.toString());
        }
        Node forest = new Node("");
        Map<String, Node> taskNodes = new LinkedHashMap<>();
        for (TaskInfo t : tasks) {
            taskNodes.put(t.id(), new Node("(T) " + t.name()));
        }
        Set<String> awaiting = new LinkedHashSet<>();
        Set<String> awaited = new LinkedHashSet<>();
        for (TaskInfo child : tasks) {
            for (String parentId : child.awaitedBy()) {
                TaskInfo parent = byId.get(parentId);
                if (parent == null) {
                    continue; // an awaiter outside the snapshot: the task is a root
                }
                Node at = taskNodes.get(parentId);
                for (StackTraceElement f : outermostFirst(parent)) {
                    at = at.child(frame(f));
                }
                at.add(taskNodes.get(child.id()));
                awaiting.add(parentId);
                awaited.add(child.id());
            }
        }
        for (TaskInfo t : tasks) {
            if (!awaiting.contains(t.id())) {
                Node at = taskNodes.get(t.id());
                for (StackTraceElement f : outermostFirst(t)) {
                    at = at.child(frame(f));
                }
            }
            if (!awaited.contains(t.id())) {
                forest.add(taskNodes.get(t.id()));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (Node root : forest.children) {
            render(root, "", true, sb);
        }
        return sb.toString();
    }

    /** One line of the tree; a frame line is reused for every task awaited from it. */
    private static final class Node {
        final String label;
        final List<Node> children = new ArrayList<>();
        final Map<String, Node> frames = new LinkedHashMap<>();

        Node(String label) {
            this.label = label;
        }

        Node child(String frameLabel) {
            return frames.computeIfAbsent(frameLabel, l -> add(new Node(" " + l)));
        }

        Node add(Node n) {
            if (!children.contains(n)) {
                children.add(n);
            }
            return n;
        }
    }

    private static void render(Node node, String prefix, boolean last, StringBuilder sb) {
        sb.append(prefix).append(last ? "└── " : "├── ").append(node.label).append('\n');
        String next = prefix + (last ? "    " : "│   ");
        for (int i = 0; i < node.children.size(); i++) {
            render(node.children.get(i), next, i == node.children.size() - 1, sb);
        }
    }

    private static Map<String, TaskInfo> byId(List<TaskInfo> tasks) {
        Map<String, TaskInfo> byId = new LinkedHashMap<>();
        for (TaskInfo t : tasks) {
            byId.put(t.id(), t);
        }
        return byId;
    }

    /** The task → awaited-task edges' cycles, by depth-first search for back edges (asyncio's {@code _find_cycles}). */
    private static List<List<String>> cycles(List<TaskInfo> tasks, Map<String, TaskInfo> byId) {
        Map<String, List<String>> awaitedTasks = new LinkedHashMap<>();
        for (TaskInfo child : tasks) {
            for (String parent : child.awaitedBy()) {
                if (byId.containsKey(parent)) {
                    awaitedTasks.computeIfAbsent(parent, k -> new ArrayList<>()).add(child.id());
                }
            }
        }
        Map<String, Integer> color = new LinkedHashMap<>(); // absent: white, 1: on the path, 2: done
        List<String> path = new ArrayList<>();
        List<List<String>> cycles = new ArrayList<>();
        for (String v : awaitedTasks.keySet()) {
            if (!color.containsKey(v)) {
                visit(v, awaitedTasks, color, path, cycles);
            }
        }
        return cycles;
    }

    private static void visit(String v, Map<String, List<String>> graph, Map<String, Integer> color, List<String> path,
            List<List<String>> cycles) {
        color.put(v, 1);
        path.add(v);
        for (String w : graph.getOrDefault(v, List.of())) {
            Integer c = color.get(w);
            if (c == null) {
                visit(w, graph, color, path, cycles);
            } else if (c == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(w), path.size()));
                cycle.add(w);
                cycles.add(cycle);
            }
        }
        color.put(v, 2);
        path.remove(path.size() - 1);
    }

    private static List<StackTraceElement> outermostFirst(TaskInfo t) {
        return shown(t).reversed();
    }

    private static String chain(TaskInfo t) {
        return shown(t).stream().map(TaskListing::method).collect(Collectors.joining(" -> "));
    }

    /**
     * The frames a listing shows: without the compiler's {@code lambda$} frames, which name no code a reader
     * wrote by that name, and with an overload calling its sibling shown once.
     */
    private static List<StackTraceElement> shown(TaskInfo t) {
        List<StackTraceElement> shown = new ArrayList<>();
        for (StackTraceElement f : t.frames()) {
            if (f.getMethodName().startsWith("lambda$")) {
                continue;
            }
            if (!shown.isEmpty() && method(shown.get(shown.size() - 1)).equals(method(f))) {
                continue;
            }
            shown.add(f);
        }
        return shown;
    }

    /** {@code Class.method}, the class without its package: asyncio's qualified name of a function. */
    private static String method(StackTraceElement f) {
        String cls = f.getClassName();
        return cls.substring(cls.lastIndexOf('.') + 1) + "." + f.getMethodName();
    }

    private static String frame(StackTraceElement f) {
        return f.getFileName() == null ? method(f) : method(f) + " " + f.getFileName() + ":" + f.getLineNumber();
    }
}
