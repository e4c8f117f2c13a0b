package dev.asyncio;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The JDK's own thread dump ({@code jcmd Thread.dump_to_file}), read by tests that check that no thread
 * of the library outlives its work. Unlike {@link Thread#getAllStackTraces()} it lists virtual threads
 * too, which is what the loops' helper threads are.
 */
public final class ThreadDump {
    /** How long a thread may take to end after the close that ended its work; only matters when it never does. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private ThreadDump() {
    }

    /** @return the names of every live thread, platform and virtual, from one dump */
    public static List<String> threadNames() {
        Path file;
        try {
            Path dir = Files.createTempDirectory("asyncio-thread-dump");
            file = dir.resolve("threads.txt");
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), ThreadDumpFormat.TEXT_PLAIN);
            List<String> names = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                // A thread's header line: #<tid> "<name>" [virtual] …
                if (line.startsWith("#")) {
                    int open = line.indexOf('"');
                    int close = line.indexOf('"', open + 1);
                    if (open >= 0 && close > open) {
                        names.add(line.substring(open + 1, close));
                    }
                }
            }
            Files.delete(file);
            Files.delete(dir);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until no live thread's name matches {@code library}, reading a dump every few milliseconds.
     *
     * @return the matching names of the last dump: empty once they are all gone, else those that stayed
     *     for the whole {@link #PATIENCE}
     */
    public static List<String> awaitGone(Predicate<String> library) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            List<String> left = threadNames().stream().filter(library).toList();
            if (left.isEmpty() || System.nanoTime() > deadline) {
                return left;
            }
            Thread.sleep(10);
        }
    }
}
