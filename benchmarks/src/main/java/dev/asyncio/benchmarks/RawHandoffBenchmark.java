package dev.asyncio.benchmarks;

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
 * Workload {@code raw_handoff}: {@link RawHandoff}'s ring of {@value RawHandoff#THREADS} virtual threads on
 * the JDK's default scheduler passing a baton {@link #laps} times round, with no asyncio code; the score is
 * nanoseconds per hand-off. It is the floor under the portable {@code switch} row, measured in the same
 * run so that the {@code switch_vs_raw} row can divide the two.
 *
 * <p>The default count, 1000 threads × 1000 laps, is the switch row's 1000 tasks × 1000 sleeps. Each JMH
 * iteration is one round (threads made, run and joined), with the same annotations as
 * {@link SwitchBenchmark}. It has no loop, so {@link Compare} measures it in the portable mode only: the
 * loop-carrier flag changes nothing in it. Runs on JMH's worker thread, which waits for the ring.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 5)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx4g"})
public class RawHandoffBenchmark {
    /** Hand-offs per round at the default parameter: 1000 threads × 1000 laps. */
    static final int OPERATIONS = 1_000_000;

    /** Times the baton goes round the ring of {@value RawHandoff#THREADS} threads. */
    @Param("1000")
    public int laps;

    /**
     * One round.
     *
     * @return the round's own nanoseconds per hand-off, so the work cannot be optimised away
     * @throws InterruptedException if JMH's thread is interrupted while it waits for the ring
     */
    @Benchmark
    @OperationsPerInvocation(OPERATIONS)
    public double handoff() throws InterruptedException {
        return RawHandoff.round(laps);
    }
}
