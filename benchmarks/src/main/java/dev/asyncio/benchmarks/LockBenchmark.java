package dev.asyncio.benchmarks;

import dev.asyncio.Asyncio;
import dev.asyncio.Task;
import dev.asyncio.sync.Lock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload {@code lock} (JVM-only row; no docs/design.md §9 target): {@link #tasks} tasks contend for one
 * {@link Lock}; each does {@link #rounds} times {@code acquire()}, {@code sleep(Duration.ZERO)} while
 * holding it, {@code release()}, all gathered. The sleep makes every other task queue up behind the
 * holder, so almost every acquisition is a hand-over through the lock's waiter queue. The score is
 * nanoseconds per acquire/release pair (sleep included), over {@code tasks * rounds} pairs.
 *
 * <p>One JMH iteration is one round on a fresh loop made in an untimed setup. Carrier mode: the JVM's
 * default (see {@link SwitchBenchmark}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 5)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx4g"})
public class LockBenchmark extends LoopPerRound {
    /** Acquire/release pairs per round at the default parameters: 10 tasks x 20,000. */
    static final int OPERATIONS = 200_000;

    /** Contending tasks. */
    @Param("10")
    public int tasks;

    /** Acquire/release pairs per task. */
    @Param("20000")
    public int rounds;


    /**
     * One round of contended acquire/release.
     *
     * @return the pairs done inside the lock, which must be {@code tasks * rounds}
     */
    @Benchmark
    @OperationsPerInvocation(OPERATIONS)
    public long acquireRelease() {
        int perTask = rounds;
        long done = runner.run(() -> {
            Lock lock = new Lock();
            long[] inside = {0};
            List<Task<Void>> all = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                all.add(Asyncio.createTask(() -> {
                    for (int i = 0; i < perTask; i++) {
                        lock.acquire();
                        try {
                            inside[0]++;
                            Asyncio.sleep(Duration.ZERO);
                        } finally {
                            lock.release();
                        }
                    }
                }));
            }
            Asyncio.gather(all).await();
            return inside[0];
        });
        if (done != (long) tasks * perTask) {
            throw new IllegalStateException("lost an acquisition: " + done + ", expected " + (long) tasks * perTask);
        }
        return done;
    }
}
