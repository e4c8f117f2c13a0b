package dev.asyncio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The deoptimization storm stays fixed (benchmarks/README.md, "Virtual time: the deoptimization storm"):
 * tasks parked before any of them resumes must not each deoptimize when they resume. Each case runs
 * {@link ParkedWakeProbe} in a fresh JVM, because the storm needs the waiting code to be compiled while
 * every task still waits, which a JVM warmed by earlier tests would hide; it counts the JVM's
 * deoptimization log lines in the project's code and in the JDK's {@code VirtualThread.run}, never a time.
 * With the storm (the code before the fix) the log has one line per parked task, 10k-34k for these 50k
 * tasks; without it, under a hundred. The stream readers' storm (read, readexactly, readline parked before
 * any data came) is certain in portable mode and comes in some loop-carrier runs only, hence one
 * loop-carrier case for them.
 */
class ParkedWakeProbeTest {
    private static final int TASKS = 50_000;
    /** Far below one per task, far above the few class-check traps of a normal run. */
    private static final long MAX_DEOPTIMIZATIONS = 2_000;

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"sleep, LOOP", "future, LOOP", "queue, LOOP", "condition, LOOP",
            "sleep, PORTABLE", "future, PORTABLE", "queue, PORTABLE", "condition, PORTABLE",
            "readline, LOOP", "read, PORTABLE", "readexactly, PORTABLE", "readline, PORTABLE"})
    void tasksParkedBeforeAnyResumesDoNotEachDeoptimize(String kind, Carrier carrier, @TempDir Path dir)
            throws Exception {
        Path log = dir.resolve("deopt.log");
        List<String> command = MemoryProcesses.javaCommand(carrier, List.of("-Xlog:deoptimization=debug:file=" + log),
                ParkedWakeProbe.class);
        command.add(kind);
        command.add("1");
        command.add(Integer.toString(TASKS));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the probe did not finish in 2 minutes: " + out);
        assertEquals(0, process.exitValue(), out);
        assertTrue(out.contains(kind + " round 0: park"), out);

        List<String> ours = ourDeoptimizations(log);
        Map<String, Long> byPlace = ours.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertTrue(ours.size() < MAX_DEOPTIMIZATIONS, ours.size() + " deoptimizations in dev.asyncio code or VirtualThread.run for "
                + TASKS + " parked tasks, a storm; by place: " + byPlace);
    }

    /**
     * The method and bytecode of each logged deoptimization in the project's code, and in the JDK's
     * {@code VirtualThread.run}, whose storm the project prevents too (by ending one virtual thread first).
     */
    private static List<String> ourDeoptimizations(Path log) throws IOException {
        List<String> places = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            int at = Math.max(line.indexOf(" dev.asyncio."), line.indexOf(" java.lang.VirtualThread.run("));
            if (at >= 0) {
                int end = line.indexOf(" pc=", at);
                places.add(line.substring(at + 1, end > at ? end : line.length()));
            }
        }
        return places;
    }
}
