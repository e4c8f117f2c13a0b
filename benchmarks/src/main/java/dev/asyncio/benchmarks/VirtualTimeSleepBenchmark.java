package dev.asyncio.benchmarks;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Runner;
import dev.asyncio.Task;
import dev.asyncio.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload {@code virtual_time} (docs/design.md §9): {@link #tasks} tasks each {@code sleep} one hour on a
 * loop driven by an auto-jumping {@link VirtualClock}, gathered; the score is the wall time of the
 * round in seconds. It measures what a test suite pays for long sleeps under virtual time: creating,
 * parking and waking the tasks, and the clock's jump, never real waiting. CPython's asyncio has no
 * virtual clock, so this row has no Python counterpart.
 *
 * <p>One JMH iteration is one round on a fresh loop and clock (made in an untimed setup). Carrier
 * mode: the JVM's default (see {@link SwitchBenchmark}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx4g"})
public class VirtualTimeSleepBenchmark {
    private static final Duration ONE_HOUR = Duration.ofHours(1);

    /** Sleeping tasks per round. */
    @Param("1000000")
    public int tasks;

    private Runner runner;

    /** Makes the round's loop on a fresh auto-jumping virtual clock (not timed). */
    @Setup(Level.Iteration)
    public void newLoop() {
        runner = new Runner(() -> new EventLoop(new VirtualClock(true)), null);
        runner.getLoop();
    }

    /** Closes the round's loop. */
    @TearDown(Level.Iteration)
    public void closeLoop() {
        runner.close();
    }

    /**
     * One round: every task sleeps an hour of virtual time.
     *
     * @return the loop's virtual time at the end, in seconds (at least 3600)
     */
    @Benchmark
    public double sleepOneHour() {
        return runner.run(() -> {
            List<Task<Void>> sleepers = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
                sleepers.add(Asyncio.createTask(() -> Asyncio.sleep(ONE_HOUR)));
            }
            Asyncio.gather(sleepers).await();
            double now = Asyncio.getRunningLoop().time();
            if (now < ONE_HOUR.toSeconds()) {
                throw new IllegalStateException("the sleepers woke at virtual time " + now + " s, before one hour");
            }
            return now;
        });
    }
}
