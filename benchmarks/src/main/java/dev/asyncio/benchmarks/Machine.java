package dev.asyncio.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What the results were measured on, for the header of the results: CPU, memory, OS, JDK, load. */
final class Machine {
    private Machine() {
    }

    /** @return e.g. {@code AMD EPYC 7B13, 2 cores, 23.4 GiB, Linux 6.1.0 amd64} */
    static String describe() {
        String cpu = firstLineStartingWith(Path.of("/proc/cpuinfo"), "model name")
                .map(l -> l.substring(l.indexOf(':') + 1).strip())
                .orElse(System.getProperty("os.arch"));
        String memory = firstLineStartingWith(Path.of("/proc/meminfo"), "MemTotal:")
                .map(l -> String.format(java.util.Locale.ROOT, "%.1f GiB",
                        Long.parseLong(l.replaceAll("[^0-9]", "")) / (1024.0 * 1024.0)))
                .orElse("? GiB");
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + memory + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    }

    /** @return the JDK that runs the comparison and its forks, e.g. {@code Eclipse Adoptium 25.0.3+9-LTS} */
    static String jdk() {
        return System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.home") + ")";
    }

    /** @return the 1, 5 and 15 minute load averages, or {@code ?} */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static Optional<String> firstLineStartingWith(Path file, String prefix) {
        try (var lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(prefix)).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
