package dev.asyncio.benchmarks;

import dev.asyncio.Asyncio;
import dev.asyncio.Task;
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
 * Workloads {@code spawn_gather_100k} and {@code spawn_gather_1m} (docs/design.md §9;
 * {@code benchmarks/python/spawn_gather.py}): {@code createTask} N times on a trivial coroutine that
 * returns its argument ({@code async def f(i): return i}), then {@code gather} them all; the score is
 * nanoseconds per task, covering creation, scheduling, running, completion and the gather.
 *
 * <p>One JMH iteration is one round on a fresh loop made in an untimed setup. Two benchmark methods,
 * because {@code @OperationsPerInvocation} is fixed per method: {@link #tasks100k()} runs
 * {@link #smallCount} tasks, {@link #tasks1m()} runs {@link #largeCount}. Carrier mode: the JVM's
 * default (see {@link SwitchBenchmark}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 5)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx4g"})
public class SpawnGatherBenchmark extends LoopPerRound {
    /** Tasks per round of {@link #tasks100k()} at the default parameter. */
    static final int SMALL = 100_000;
    /** Tasks per round of {@link #tasks1m()} at the default parameter. */
    static final int LARGE = 1_000_000;

    /** Tasks per round of {@link #tasks100k()}. */
    @Param("100000")
    public int smallCount;

    /** Tasks per round of {@link #tasks1m()}. */
    @Param("1000000")
    public int largeCount;


    /**
     * One round of {@link #smallCount} tasks.
     *
     * @return the last task's result
     */
    @Benchmark
    @OperationsPerInvocation(SMALL)
    public int tasks100k() {
        return spawnAndGather(smallCount);
    }

    /**
     * One round of {@link #largeCount} tasks.
     *
     * @return the last task's result
     */
    @Benchmark
    @OperationsPerInvocation(LARGE)
    @Warmup(iterations = 2)
    @Measurement(iterations = 4)
    @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx4g"}) // rounds of seconds: one fork keeps the full run bounded
    public int tasks1m() {
        return spawnAndGather(largeCount);
    }

    private int spawnAndGather(int n) {
        return runner.run(() -> {
            List<Task<Integer>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int value = i;
                tasks.add(Asyncio.createTask(() -> value));
            }
            List<Integer> results = Asyncio.gather(tasks).await();
            if (results.size() != n || results.get(n - 1) != n - 1) {
                throw new IllegalStateException("gather returned " + results.size() + " results for " + n + " tasks");
            }
            return results.get(n - 1);
        });
    }
}
