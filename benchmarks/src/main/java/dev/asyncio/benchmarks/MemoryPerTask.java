package dev.asyncio.benchmarks;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Runner;
import dev.asyncio.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Workload {@code memory} (docs/design.md §9; {@code benchmarks/python/memory.py}): how much memory a task
 * parked in {@code sleep(1 h)} holds. Not a JMH benchmark: like the Python program it measures once per
 * fresh process, because memory freed by an earlier round would make later rounds look cheaper.
 *
 * <p>Run as {@code java -cp benchmarks.jar dev.asyncio.benchmarks.MemoryPerTask [--tasks N] [--warmup-rounds R]
 * [--warmup-tasks W] [--histogram K]};
 * prints one JSON line with two figures per task:
 * <ul>
 *   <li>{@code rss}: growth of the process's resident set read from {@code /proc/self/statm} (resident
 *       pages times the page size), exactly as {@code memory.py} reads it;</li>
 *   <li>{@code heap}: growth of the Java heap in use ({@link java.lang.management.MemoryMXBean}).</li>
 * </ul>
 * Both readings are taken after a full GC ({@link System#gc()}), before and after starting the tasks,
 * so they count what the parked tasks keep alive, not the garbage made while starting them. As in
 * {@code memory.py}: a warm-up first (R rounds of W tasks, each round started, parked and cancelled like the
 * measured one; default one round of 100), then N tasks each counting itself as started and sleeping an
 * hour; the loop yields until all have started, once more, then measures and cancels them.
 *
 * <p><b>Why the warm-up decides the figure.</b> A parked task keeps its frames, from its body down to the
 * park, in its stack chunk, each frame in the form its method had when the task entered it: interpreted, C1
 * with profiling, or C2. The forms differ in size several times over, so with a short warm-up most tasks
 * park in interpreter and C1 frames, and the figure depends on how far the JIT got while they were being
 * started (measured: 780-1,170 B of stack chunk per task from run to run). A long warm-up measures the
 * steady state a long-running service is in, as JMH's warm-up does for the time rows; the benchmark table
 * shows both.
 * {@code --histogram K} also prints, on standard error, the K classes holding the most heap while the
 * tasks are parked (the JVM's class histogram), to see what a parked task is made of.
 * The carrier mode is the JVM's default (portable, or {@code LOOP_CARRIER} with
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}).
 */
public final class MemoryPerTask {
    private static final Duration ONE_HOUR = Duration.ofHours(1);
    private static final Path STATM = Path.of("/proc/self/statm");

    /** One measurement: bytes per parked task, and what it was measured on. */
    record Result(int tasks, String carrierMode, double heapBytesPerTask, double rssBytesPerTask) {
        /** @return the JSON line this program prints */
        String toJson() {
            return String.format(Locale.ROOT,
                    "{\"workload\": \"memory\", \"carrier\": \"%s\", \"n\": %d, \"heap\": %.1f, \"rss\": %.1f, \"unit\": \"B/task\"}",
                    carrierMode, tasks, heapBytesPerTask, rssBytesPerTask);
        }
    }

    private MemoryPerTask() {
    }

    /**
     * Measures and prints one JSON line.
     *
     * @param args {@code [--tasks N] [--warmup-rounds R] [--warmup-tasks W] [--histogram K]} (default 100000
     *     tasks, one warm-up round of 100 tasks, no histogram)
     */
    public static void main(String[] args) {
        int tasks = 100_000;
        int warmupRounds = 1;
        int warmupTasks = 100;
        int histogram = 0;
        try {
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--tasks") && i + 1 < args.length) {
                    tasks = Integer.parseInt(args[++i]);
                } else if (args[i].equals("--warmup-rounds") && i + 1 < args.length) {
                    warmupRounds = Integer.parseInt(args[++i]);
                } else if (args[i].equals("--warmup-tasks") && i + 1 < args.length) {
                    warmupTasks = Integer.parseInt(args[++i]);
                } else if (args[i].equals("--histogram") && i + 1 < args.length) {
                    histogram = Integer.parseInt(args[++i]);
                } else {
                    throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("MemoryPerTask: " + e.getMessage() + "\nusage: MemoryPerTask [--tasks N] [--warmup-rounds R] [--warmup-tasks W] [--histogram K]");
            System.exit(2);
        }
        System.out.println(measure(tasks, warmupRounds, warmupTasks, histogram).toJson());
    }

    /**
     * Starts {@code n} sleeping tasks on a fresh loop in this JVM and measures what they hold. Runs on
     * the calling thread, which hosts the loop.
     *
     * @param n how many tasks
     * @param warmupRounds how many warm-up rounds run first
     * @param warmupTasks how many tasks each warm-up round parks
     * @param histogramLines how many classes of the heap histogram to print on standard error while the
     *     tasks are parked; 0 for none
     * @return bytes per task
     * @throws IllegalArgumentException if {@code n} or {@code warmupTasks} is not positive, or
     *     {@code warmupRounds} is negative
     */
    static Result measure(int n, int warmupRounds, int warmupTasks, int histogramLines) {
        if (n <= 0 || warmupTasks <= 0 || warmupRounds < 0) {
            throw new IllegalArgumentException("tasks and warm-up tasks must be positive and warm-up rounds not negative, got "
                    + n + ", " + warmupTasks + ", " + warmupRounds);
        }
        try (Runner runner = new Runner()) {
            EventLoop loop = runner.getLoop();
            return runner.run(() -> {
                for (int round = 0; round < warmupRounds; round++) {
                    spawnMeasureAndCancel(warmupTasks, 0); // first-use allocations, class loading, JIT of the path
                }
                fullGc();
                long heapBefore = heapUsed();
                long rssBefore = rssBytes();
                long[] after = spawnMeasureAndCancel(n, histogramLines);
                return new Result(n, loop.getCarrierMode().name(),
                        (after[0] - heapBefore) / (double) n, (after[1] - rssBefore) / (double) n);
            });
        }
    }

    /** On the loop: starts {@code n} sleepers, waits until all are parked, measures, cancels them. */
    private static long[] spawnMeasureAndCancel(int n, int histogramLines) {
        int[] started = {0};
        List<Task<Void>> sleepers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sleepers.add(Asyncio.createTask(() -> {
                started[0]++;
                Asyncio.sleep(ONE_HOUR);
            }));
        }
        while (started[0] < n) {
            Asyncio.sleep(Duration.ZERO);
        }
        Asyncio.sleep(Duration.ZERO); // let the loop settle once more before measuring
        fullGc();
        long[] reading = {heapUsed(), rssBytes()};
        if (histogramLines > 0) {
            System.err.println(classHistogram(histogramLines));
        }
        for (Task<Void> t : sleepers) {
            t.cancel();
        }
        Asyncio.gatherReturnExceptions(sleepers).await();
        return reading;
    }

    private static void fullGc() {
        // Two rounds: the first may leave objects that only become unreachable after finalization/cleanup.
        System.gc();
        System.gc();
    }

    /** The first {@code classes} rows of the JVM's class histogram (what {@code jcmd PID GC.class_histogram} shows). */
    private static String classHistogram(int classes) {
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return String.join("\n", text.toString().lines().limit(classes + 2L).toList());
        } catch (JMException e) {
            return "no class histogram: " + e;
        }
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Resident set size as {@code memory.py} reads it: field 2 of /proc/self/statm times the page size. */
    static long rssBytes() {
        try {
            String[] fields = Files.readString(STATM).trim().split("\\s+");
            return Long.parseLong(fields[1]) * PageSize.BYTES;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + STATM + " (Linux procfs is needed to measure RSS)", e);
        }
    }

    /** The kernel's page size, from the first mapping in /proc/self/smaps (Java has no public API for it). */
    private static final class PageSize {
        static final long BYTES = read();

        private static long read() {
            try (var lines = Files.lines(Path.of("/proc/self/smaps"))) {
                return lines.filter(l -> l.startsWith("KernelPageSize:"))
                        .findFirst()
                        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
                        .orElse(4096L);
            } catch (IOException | UncheckedIOException e) {
                return 4096;
            }
        }
    }
}
