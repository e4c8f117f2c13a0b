package dev.asyncio.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The background load of {@code benchmarks/run --load N}: a separate JVM whose N platform threads burn
 * CPU without pause, as other programs on a shared machine would, beside a workload being measured.
 * {@link Compare} starts one before each workload (its Java and its Python measurements alike) and
 * stops it after, so every figure of a loaded run is taken with the same competition for the cores.
 *
 * <p>The load runs in its own process, not as threads of the measured JVM: it must not share the
 * measured JVM's heap, GC or safepoints, and it must burden the Python programs as much as the JVM.
 * It ends when told ({@link #close()}), and also by itself when the JVM that started it goes away
 * (its standard input reaches end of file), so a killed comparison leaves no spinning process behind.
 *
 * <p>Not thread-safe; used from the comparison's thread.
 */
final class BusyLoad implements AutoCloseable {
    /** What the load process prints once its threads run. */
    private static final String READY = "busy";

    private final Process process;
    private final int threads;

    private BusyLoad(Process process, int threads) {
        this.process = process;
        this.threads = threads;
    }

    /**
     * Starts a load process of {@code threads} busy threads and returns once they all run.
     *
     * @param threads how many threads burn CPU, at least 1
     * @return the running load; {@link #close()} stops it
     * @throws IOException if the process cannot be started or does not report that it runs
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    static BusyLoad start(int threads) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("a load needs at least one busy thread, got " + threads);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                BusyLoad.class.getName(), Integer.toString(threads)))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BusyLoad load = new BusyLoad(p, threads);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!(READY + " " + threads).equals(line)) {
            load.close();
            throw new IOException("the load process did not start its " + threads + " busy threads (it said: " + line + ")");
        }
        return load;
    }

    /** @return the load process, e.g. to read its CPU time */
    ProcessHandle process() {
        return process.toHandle();
    }

    /** @return how many busy threads the process runs */
    int threads() {
        return threads;
    }

    /** Stops the load process and waits until it has ended. Idempotent. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The load process: starts {@code args[0]} busy platform threads, prints {@code "busy N"}, and runs
     * until it is killed or its standard input ends.
     *
     * @param args the number of threads
     * @throws IOException if reading standard input fails
     */
    public static void main(String[] args) throws IOException {
        int n = Integer.parseInt(args[0]);
        for (int i = 0; i < n; i++) {
            Thread t = Thread.ofPlatform().name("busy-" + i).daemon(true).unstarted(BusyLoad::spin);
            t.start();
        }
        System.out.println(READY + " " + n);
        System.out.flush();
        // Blocks until the parent closes the pipe (or dies); the daemon threads end with the JVM.
        while (System.in.read() >= 0) {
            // input is not expected; keep waiting for end of file
        }
    }

    /** Integer arithmetic without end: keeps one core busy, touches no memory beyond a few registers. */
    private static void spin() {
        long x = Thread.currentThread().threadId();
        while (true) {
            for (int i = 0; i < 1_000_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            sink = x; // a volatile write now and then keeps the JIT from removing the loop
        }
    }

    @SuppressWarnings("unused")
    private static volatile long sink;
}
