package dev.asyncio.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code dev.asyncio.tools.Ps ps|pstree <pid>}, run as the command a user runs, against a second JVM
 * ({@link PsTarget}) whose tasks form a tree through a TaskGroup, a gather and a {@code mono} awaited across
 * loops: real processes, the JDK's attach API and JMX, no agent flag on the target.
 */
class ReactorPsTest {
    private static Process target;

    private static List<String> java(String mainClass, String... args) {
        String javaBin = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new java.util.ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                mainClass));
        command.addAll(List.of(args));
        return command;
    }

    @BeforeAll
    static void startTarget() throws Exception {
        target = new ProcessBuilder(java(PsTarget.class.getName())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(target.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals("READY", ready.get(60, TimeUnit.SECONDS));
    }

    @AfterAll
    static void stopTarget() throws Exception {
        target.destroyForcibly();
        target.waitFor(30, TimeUnit.SECONDS);
    }

    /** Runs the Ps command in a JVM of its own; returns its standard output after checking it succeeded. */
    private static String ps(String command) throws Exception {
        Process p = new ProcessBuilder(java("dev.asyncio.tools.Ps", command, Long.toString(target.pid())))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "Ps did not end");
        String text = out.get(10, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), text);
        System.out.println("$ java -cp … dev.asyncio.tools.Ps " + command + " <pid>\n" + text);
        return text;
    }

    private static String row(String table, String taskName) {
        return table.lines().filter(l -> l.split(" +").length > 2 && l.split(" +")[2].equals(taskName)).findFirst()
                .orElseThrow(() -> new AssertionError(taskName + " missing from:\n" + table));
    }

    @Test
    void psListsEveryTaskOfEveryLoopWithWhatItAwaitsAndWhoAwaitsIt() throws Exception {
        String table = ps("ps");
        assertTrue(table.startsWith("loop "), table);
        String main = table.lines().filter(l -> l.contains(" Task-") && l.endsWith(" 0x0")).findFirst().orElseThrow(
                () -> new AssertionError("the main task, awaited by nobody, missing from:\n" + table));
        String mainId = main.split(" +")[1];
        String gatherer = row(table, "gatherer");
        assertTrue(gatherer.contains(" <_GatheringFuture pending of 2> ") && gatherer.contains("PsTarget.gatherer"), gatherer);
        assertTrue(gatherer.matches(".* Task-\\d+ +" + mainId), "awaited by the TaskGroup's owner: " + gatherer);
        String gathererId = gatherer.split(" +")[1];
        for (String leaf : List.of("leaf-1", "leaf-2")) {
            String r = row(table, leaf);
            assertTrue(r.contains("suspended") && r.contains("PsTarget.leaf"), r);
            assertTrue(r.matches(".* gatherer +" + gathererId), "awaited by the gathering task: " + r);
        }
        String awaiter = row(table, "mono-awaiter");
        String remote = row(table, "remote-leaf");
        assertTrue(remote.contains(" sleep until loop time ") && remote.contains("PsTarget.remoteLeaf"), remote);
        assertTrue(remote.matches(".* PsTarget.monoAwaiter +mono-awaiter +" + awaiter.split(" +")[1]),
                "awaited across the bridge: " + remote);
        assertNotEquals(awaiter.split(" +")[0], remote.split(" +")[0], "the mono runs on the second loop");
    }

    @Test
    void pstreePrintsOneAwaitTreeAcrossTaskGroupGatherAndTheMonoOnAnotherLoop() throws Exception {
        List<String> tree = ps("pstree").lines().toList();
        assertTrue(tree.get(0).matches("└── \\(T\\) Task-\\d+"), tree::toString);
        assertEquals(1, tree.stream().filter(l -> l.startsWith("└── ") || l.startsWith("├── ")).count(), "one root: " + tree);
        assertUnder(tree, "(T) gatherer", tree.get(0));
        assertUnder(tree, "(T) mono-awaiter", tree.get(0));
        assertUnder(tree, "(T) leaf-1", "(T) gatherer");
        assertUnder(tree, "(T) leaf-2", "(T) gatherer");
        assertUnder(tree, "(T) remote-leaf", "(T) mono-awaiter");
        assertUnder(tree, "PsTarget.remoteLeaf PsTarget.java:", "(T) remote-leaf");
    }

    /** {@code child} is in the subtree of {@code parent}: after it, deeper, with no line as shallow in between. */
    private static void assertUnder(List<String> tree, String child, String parent) {
        int p = indexOf(tree, parent);
        int c = indexOf(tree, child);
        int depth = depth(tree.get(p));
        assertTrue(c > p && depth(tree.get(c)) > depth, () -> child + " not under " + parent + ":\n" + String.join("\n", tree));
        for (int i = p + 1; i < c; i++) {
            int line = i;
            assertTrue(depth(tree.get(i)) > depth, () -> child + " not under " + parent + " (line " + line + "):\n"
                    + String.join("\n", tree));
        }
    }

    private static int indexOf(List<String> tree, String text) {
        for (int i = 0; i < tree.size(); i++) {
            if (tree.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError(text + " missing from:\n" + String.join("\n", tree));
    }

    private static int depth(String line) {
        return Math.max(line.indexOf("└── "), line.indexOf("├── "));
    }
}
