package dev.asyncio.benchmarks;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload {@code timers} (docs/design.md §9; {@code benchmarks/python/timers.py}): {@link #count} calls of
 * {@code loop.callLater(delay, callback)} with delays drawn uniformly from 0 to {@link #maxDelaySeconds}
 * seconds, then wait until every callback has fired; the score is the total wall time in seconds
 * (ideal: just over {@link #maxDelaySeconds}).
 *
 * <p>The delays come from a fixed seed (42, as in the Python program) and are drawn before the round,
 * outside the timed region; the generator is Java's {@link SplittableRandom}, so the distribution is
 * the same as Python's {@code random.uniform} but not the sequence. One JMH iteration is one round on
 * a fresh loop (single shot: a round takes at least {@link #maxDelaySeconds}). Carrier mode: the JVM's
 * default (see {@link SwitchBenchmark}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx4g"})
public class TimersBenchmark extends LoopPerRound {
    /** The seed of the delays, as in {@code timers.py}. */
    static final long SEED = 42;

    /** Timers per round. */
    @Param("1000000")
    public int count;

    /** Upper bound of the uniformly drawn delays, in seconds. */
    @Param("1.0")
    public double maxDelaySeconds;

    private double[] delays;
    /** Draws the delays (not timed). */
    @Setup(Level.Trial)
    public void drawDelays() {
        SplittableRandom random = new SplittableRandom(SEED);
        delays = new double[count];
        for (int i = 0; i < count; i++) {
            delays[i] = random.nextDouble() * maxDelaySeconds;
        }
    }

    /**
     * One round: schedule every timer, wait for the last one.
     *
     * @return how many callbacks fired
     */
    @Benchmark
    public int callLater() {
        return runner.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Void> done = loop.createFuture();
            int[] remaining = {delays.length};
            Runnable fired = () -> {
                if (--remaining[0] == 0) {
                    done.setResult(null);
                }
            };
            for (double delay : delays) {
                loop.callLater(delay, fired);
            }
            done.await();
            return delays.length - remaining[0];
        });
    }
}
