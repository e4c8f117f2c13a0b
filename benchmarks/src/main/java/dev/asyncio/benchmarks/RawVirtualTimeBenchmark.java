package dev.asyncio.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload {@code raw_virtual_time}: {@link RawParkedChain}'s {@link #threads} virtual threads started,
 * parked and woken in turn, with no asyncio code; the score is the round's wall time in seconds. It is the
 * floor under {@code virtual_time}, measured in the same run so that {@code virtual_time_vs_raw} can divide
 * the two, with the same annotations as {@link VirtualTimeSleepBenchmark}. The portable column runs on the
 * JDK's default scheduler; the loop-carrier column on the same scheduler limited to one carrier
 * ({@code -Djdk.virtualThreadScheduler.parallelism=1}, set by {@link Workloads}), as a loop-carrier loop's
 * threads have one. Runs on JMH's worker thread, which waits for the chain.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx4g"})
public class RawVirtualTimeBenchmark {
    /** Threads per round, as {@link VirtualTimeSleepBenchmark}'s tasks. */
    @Param("1000000")
    public int threads;

    /**
     * One round.
     *
     * @return the round's seconds, so that the work cannot be optimised away
     */
    @Benchmark
    public double parkAndWake() {
        return RawParkedChain.round(threads);
    }
}
