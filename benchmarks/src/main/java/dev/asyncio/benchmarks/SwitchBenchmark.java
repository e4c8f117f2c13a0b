package dev.asyncio.benchmarks;

import dev.asyncio.Asyncio;
import dev.asyncio.Task;
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
 * Workload {@code switch} (docs/design.md §9; {@code benchmarks/python/switch.py}): {@link #tasks} tasks each
 * run {@code sleep(Duration.ZERO)} {@link #sleepsPerTask} times, gathered; the score is nanoseconds per
 * {@code sleep(0)}, i.e. one suspend/resume round through the loop's ready queue.
 *
 * <p>Each JMH iteration is one round on a fresh loop (made in an untimed setup), like one round of the
 * Python program. The carrier mode is the JVM's default: portable without flags,
 * {@code LOOP_CARRIER} when the fork has {@code --add-opens java.base/java.lang=ALL-UNNAMED}
 * ({@link Compare} runs both). Runs on JMH's worker thread, which becomes the loop's host.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 5)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx4g"})
public class SwitchBenchmark extends LoopPerRound {
    /** Operations per round at the default parameters: 1000 tasks x 1000 sleeps. */
    static final int OPERATIONS = 1_000_000;

    /** Number of concurrent tasks. */
    @Param("1000")
    public int tasks;

    /** {@code sleep(0)} calls per task. */
    @Param("1000")
    public int sleepsPerTask;


    /**
     * One round: create the tasks, gather them.
     *
     * @return the number of sleeps done, so the work cannot be optimised away
     */
    @Benchmark
    @OperationsPerInvocation(OPERATIONS)
    public long sleepZero() {
        return runner.run(() -> {
            int n = sleepsPerTask;
            List<Task<Integer>> all = new ArrayList<>(tasks);
            for (int t = 0; t < tasks; t++) {
                all.add(Asyncio.createTask(() -> {
                    for (int i = 0; i < n; i++) {
                        Asyncio.sleep(Duration.ZERO);
                    }
                    return n;
                }));
            }
            long total = 0;
            for (int done : Asyncio.gather(all).await()) {
                total += done;
            }
            return total;
        });
    }
}
