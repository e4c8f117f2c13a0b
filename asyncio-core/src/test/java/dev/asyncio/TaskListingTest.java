package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ps table and the pstree tree, on snapshots written out here (asyncio's test_tools cases, in Java). */
class TaskListingTest {
    private static StackTraceElement frame(String cls, String method, int line) {
        return new StackTraceElement("app." + cls, method, cls + ".java", line);
    }

    private static TaskInfo task(String id, String name, List<StackTraceElement> frames, String... awaitedBy) {
        return new TaskInfo(id, name, "0x1", "suspended", awaitedBy.length == 0 ? "" : "<Future pending>", frames,
                List.of(awaitedBy));
    }

    /** main awaits a TaskGroup of two albums; one album awaits a song. */
    private static List<TaskInfo> albums() {
        return List.of(
                task("0x10", "main", List.of(frame("TaskGroup", "exit", 9), frame("App", "main", 13))),
                task("0x11", "Sundowning", List.of(frame("TaskGroup", "exit", 9), frame("App", "album", 8)), "0x10"),
                task("0x12", "TMBTE", List.of(frame("App", "album", 8)), "0x10"),
                task("0x13", "TNDNBTG", List.of(frame("Asyncio", "sleep", 3), frame("App", "play", 4)), "0x11"));
    }

    @Test
    void treeHangsAwaitedTasksUnderTheFramesTheirAwaiterWaitsIn() {
        assertEquals("""
                └── (T) main
                    └──  App.main App.java:13
                        └──  TaskGroup.exit TaskGroup.java:9
                            ├── (T) Sundowning
                            │   └──  App.album App.java:8
                            │       └──  TaskGroup.exit TaskGroup.java:9
                            │           └── (T) TNDNBTG
                            │               └──  App.play App.java:4
                            │                   └──  Asyncio.sleep Asyncio.java:3
                            └── (T) TMBTE
                                └──  App.album App.java:8
                """, TaskListing.tree(albums()));
    }

    @Test
    void tableHasARowPerTaskAndAwaiterWithStacksMostRecentFirst() {
        List<String> rows = TaskListing.table(albums()).lines().toList();
        assertTrue(rows.get(0).matches("loop +task id +task name +state +awaits +coroutine stack +awaiter chain +awaiter name +awaiter id"),
                rows.get(0));
        assertTrue(rows.get(1).matches("-+"), rows.get(1));
        assertEquals(6, rows.size());
        assertTrue(rows.get(2).matches("0x1 +0x10 +main +suspended +TaskGroup.exit -> App.main +0x0"), rows.get(2));
        assertTrue(rows.get(5).matches("0x1 +0x13 +TNDNBTG +suspended +<Future pending> +Asyncio.sleep -> App.play +TaskGroup.exit -> App.album"
                + " +Sundowning +0x11"), rows.get(5));
    }

    @Test
    void aCycleIsReportedWithTheTasksOnItInsteadOfATree() {
        List<TaskInfo> cyclic = List.of(
                task("0x1", "a", List.of(frame("App", "a", 1)), "0x2"),
                task("0x2", "b", List.of(frame("App", "b", 2)), "0x1"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TaskListing.tree(cyclic));
        assertEquals("ERROR: await-graph contains cycles - cannot print a tree!\n\ncycle: b → a → b", e.getMessage());
    }

    @Test
    void aTaskAwaitedFromOutsideTheSnapshotIsARootAndItsRowNamesTheAwaiterUnknown() {
        List<TaskInfo> tasks = List.of(task("0x1", "orphan", List.of(frame("App", "wait", 5)), "0x99"));
        assertEquals("└── (T) orphan\n    └──  App.wait App.java:5\n", TaskListing.tree(tasks));
        assertTrue(TaskListing.table(tasks).lines().toList().get(2).matches(".* orphan .* Unknown +0x99"), TaskListing.table(tasks));
    }

    @Test
    void noTasksGiveAnEmptyTreeAndAHeaderOnlyTable() {
        assertEquals("", TaskListing.tree(List.of()));
        assertEquals(2, TaskListing.table(List.of()).lines().count());
    }
}
