package dev.asyncio.benchmarks;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The Java figures of the {@code memory} workload: {@link MemoryPerTask} run in fresh JVMs (one
 * measurement per process, as {@code memory.py}), median over the processes. One set of processes per
 * carrier mode yields both the RSS and the heap figure, so the two table rows share it.
 */
final class MemoryProcesses {
    private final int fullTasks;
    private final int quickTasks;
    private final int fullProcesses;
    private final int warmupRounds;
    private final int warmupTasks;
    private final Map<Carrier, double[]> measured = new EnumMap<>(Carrier.class);

    /**
     * @param fullTasks sleeping tasks in a full run
     * @param quickTasks sleeping tasks in a quick run
     * @param fullProcesses processes per mode in a full run (a quick run takes one)
     * @param warmupRounds warm-up rounds before the measured one (see {@link MemoryPerTask}: it decides
     *     which compiled form the parked frames have)
     * @param warmupTasks tasks per warm-up round
     */
    MemoryProcesses(int fullTasks, int quickTasks, int fullProcesses, int warmupRounds, int warmupTasks) {
        this.fullTasks = fullTasks;
        this.quickTasks = quickTasks;
        this.fullProcesses = fullProcesses;
        this.warmupRounds = warmupRounds;
        this.warmupTasks = warmupTasks;
    }

    /** @return the row measuring resident-set growth per task */
    Workload.JavaMeasurement rss() {
        return view(1, "RSS");
    }

    /** @return the row measuring heap growth per task */
    Workload.JavaMeasurement heap() {
        return view(0, "heap");
    }

    private Workload.JavaMeasurement view(int index, String what) {
        return new Workload.JavaMeasurement() {
            @Override
            public double measure(Carrier carrier, Compare.Settings settings) throws Exception {
                return measureOnce(carrier, settings)[index];
            }

            @Override
            public String describe() {
                return "MemoryPerTask (" + what + "), one fresh JVM per measurement, after " + warmupRounds
                        + " warm-up round(s) of " + warmupTasks + " tasks";
            }
        };
    }

    private synchronized double[] measureOnce(Carrier carrier, Compare.Settings settings) throws Exception {
        double[] known = measured.get(carrier);
        if (known != null) {
            return known;
        }
        int tasks = settings.quick() ? quickTasks : fullTasks;
        int processes = settings.quick() ? 1 : fullProcesses;
        List<Double> heap = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            var record = runChild(carrier, tasks, warmupRounds, warmupTasks);
            heap.add(((Number) record.get("heap")).doubleValue());
            rss.add(((Number) record.get("rss")).doubleValue());
        }
        double[] result = {Compare.median(heap), Compare.median(rss)};
        measured.put(carrier, result);
        return result;
    }

    private static Map<String, Object> runChild(Carrier carrier, int tasks, int warmupRounds, int warmupTasks)
            throws Exception {
        List<String> command = javaCommand(carrier, List.of(), MemoryPerTask.class);
        command.add("--tasks");
        command.add(Integer.toString(tasks));
        command.add("--warmup-rounds");
        command.add(Integer.toString(warmupRounds));
        command.add("--warmup-tasks");
        command.add(Integer.toString(warmupTasks));
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        process.getOutputStream().close();
        // Drain stderr concurrently so a chatty child cannot block on a full pipe.
        var stderr = new java.io.ByteArrayOutputStream();
        Thread drain = Thread.ofPlatform().daemon().start(() -> {
            try (var in = process.getErrorStream()) {
                in.transferTo(stderr);
            } catch (java.io.IOException ignored) {
                // the process is gone; what was read is all there is
            }
        });
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("MemoryPerTask did not finish in 10 minutes");
        }
        drain.join();
        String[] lines = out.strip().split("\n");
        if (process.exitValue() != 0 || lines[lines.length - 1].isBlank()) {
            String err = stderr.toString().strip();
            throw new IllegalStateException("MemoryPerTask exited " + process.exitValue() + ": "
                    + (err.isEmpty() ? "no output" : err.lines().reduce((a, b) -> b).orElse(err)));
        }
        return JsonLine.parse(lines[lines.length - 1]);
    }

    /**
     * The command line of a fresh JVM that runs {@code main} of this code as a measured JVM of {@code carrier}'s
     * mode: this JVM's {@code java}, {@link JmhBenchmark#HEAP}, the mode's flags, then {@code jvmArgs}. The
     * program's own arguments are for the caller to add.
     *
     * @param carrier the carrier mode
     * @param jvmArgs more JVM arguments, after the mode's
     * @param main the class whose {@code main} runs
     * @return the command, a list the caller may add to
     */
    static List<String> javaCommand(Carrier carrier, List<String> jvmArgs, Class<?> main) throws URISyntaxException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JmhBenchmark.HEAP);
        command.addAll(carrier.jvmArgs());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath());
        command.add(main.getName());
        return command;
    }

    /** The class path of this code and the core: the shaded jar, or the two class directories in a build. */
    private static String classPath() throws URISyntaxException {
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> c : new Class<?>[] {MemoryPerTask.class, dev.asyncio.EventLoop.class}) {
            entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, entries);
    }
}
