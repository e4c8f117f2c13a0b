package dev.asyncio.benchmarks;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Runner;
import dev.asyncio.Task;
import dev.asyncio.VirtualClock;
import dev.asyncio.queues.Queue;
import dev.asyncio.streams.StreamReader;
import dev.asyncio.sync.Condition;
import dev.asyncio.sync.Event;
import dev.asyncio.sync.Lock;
import dev.asyncio.sync.Permit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Not a workload: a probe for the deoptimization storm (benchmarks/README.md, "Virtual time: the
 * deoptimization storm"). Many tasks park on one primitive before any of them resumes, then all are
 * released; it prints, per round, how long parking and waking took. Run it with
 * {@code -Xlog:deoptimization=debug:file=deopt.log}: a line per parked task at one bytecode means that the
 * frames they keep were compiled with a trap on the way out, and each deoptimizes as it resumes.
 *
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED -Xlog:deoptimization=debug:file=deopt.log \
 *     -cp benchmarks/target/benchmarks.jar dev.asyncio.benchmarks.ParkedWakeProbe future 2 300000
 * </pre>
 * Kinds: {@code sleep}, {@code future}, {@code event}, {@code queue}, {@code lock}, {@code condition}
 * (a virtual clock), {@code readline}, {@code read} and {@code readexactly} (a {@link StreamReader}, on a real clock: a reader waiting
 * for data keeps a virtual clock still).
 */
public final class ParkedWakeProbe {
    private ParkedWakeProbe() {
    }

    /**
     * @param args the kind, the number of rounds, the number of tasks
     */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: ParkedWakeProbe sleep|future|event|queue|lock|condition|readline|read|readexactly <rounds> <tasks>");
            System.exit(2);
        }
        String kind = args[0];
        int rounds = Integer.parseInt(args[1]);
        int tasks = Integer.parseInt(args[2]);
        for (int r = 0; r < rounds; r++) {
            boolean realClock = kind.startsWith("read");
            Runner runner = new Runner(() -> realClock ? new EventLoop() : new EventLoop(new VirtualClock(true)), null);
            long start = System.nanoTime();
            long[] released = new long[1];
            runner.run(() -> {
                released[0] = round(kind, tasks);
                return null;
            });
            long end = System.nanoTime();
            runner.close();
            System.out.printf(Locale.ROOT, "%s round %d: park %.2f s, wake %.2f s%n", kind, r,
                    (released[0] - start) / 1e9, (end - released[0]) / 1e9);
        }
    }

    /** One round on the running loop; returns when the tasks were released, or the first sleeper woke (System.nanoTime). */
    private static long round(String kind, int tasks) throws Exception {
        Future<Integer> gate = Asyncio.getRunningLoop().createFuture();
        Event event = new Event();
        Queue<Integer> queue = new Queue<>();
        Lock lock = new Lock();
        Condition condition = new Condition();
        boolean[] flag = new boolean[1];
        long[] firstWake = new long[1];
        Permit held = kind.equals("lock") ? lock.acquire() : null;
        List<StreamReader> readers = new ArrayList<>();
        List<Task<Void>> waiters = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            StreamReader reader = kind.startsWith("read") ? new StreamReader() : null;
            if (reader != null) {
                readers.add(reader);
            }
            waiters.add(Asyncio.createTask(() -> {
                switch (kind) {
                    case "sleep" -> {
                        Asyncio.sleep(Duration.ofHours(1));
                        if (firstWake[0] == 0) {
                            firstWake[0] = System.nanoTime();
                        }
                    }
                    case "future" -> gate.await();
                    case "event" -> event.await();
                    case "queue" -> queue.get();
                    case "lock" -> lock.acquire().close();
                    case "condition" -> {
                        try (Permit p = condition.acquire()) {
                            condition.awaitFor(() -> flag[0]);
                        }
                    }
                    case "readline" -> reader.readline();
                    case "read" -> reader.read(100);
                    case "readexactly" -> reader.readexactly(5);
                    default -> throw new IllegalArgumentException("unknown kind " + kind);
                }
            }));
        }
        if (!kind.equals("sleep")) {
            Asyncio.sleep(Duration.ofSeconds(1)); // every task has parked by then
        }
        long released = System.nanoTime();
        switch (kind) {
            case "future" -> gate.setResult(1);
            case "event" -> event.set();
            case "queue" -> {
                for (int i = 0; i < tasks; i++) {
                    queue.putNowait(i);
                }
            }
            case "lock" -> held.close();
            case "condition" -> {
                try (Permit p = condition.acquire()) {
                    flag[0] = true;
                    condition.signalAll();
                }
            }
            case "readline", "read", "readexactly" -> readers.forEach(reader -> reader.feedData("line\n".getBytes()));
            default -> {
            }
        }
        Asyncio.gather(waiters).await();
        return kind.equals("sleep") ? firstWake[0] : released;
    }
}
