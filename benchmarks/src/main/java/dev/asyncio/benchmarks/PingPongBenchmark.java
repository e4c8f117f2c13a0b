package dev.asyncio.benchmarks;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
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
 * Workload {@code pingpong} (docs/design.md §9; {@code benchmarks/python/pingpong.py}): two tasks pass a
 * token through futures. A creates a fresh future of its own, sets the future B awaits and awaits its
 * own; B wakes, creates its next future, sets A's. Each {@code setResult} that wakes the other side is
 * one handoff; the score is nanoseconds per handoff.
 *
 * <p>One JMH iteration is one round of {@link #handoffs} handoffs on a fresh loop made in an untimed
 * setup. Carrier mode: the JVM's default (see {@link SwitchBenchmark}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 5)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx4g"})
public class PingPongBenchmark extends LoopPerRound {
    /** Handoffs per round at the default parameter. */
    static final int OPERATIONS = 1_000_000;

    /** Handoffs per round (even: each round trip is two). */
    @Param("1000000")
    public int handoffs;


    /**
     * One round of ping-pong.
     *
     * @return the final token, which must equal {@link #handoffs}
     */
    @Benchmark
    @OperationsPerInvocation(OPERATIONS)
    public int handoff() {
        int rounds = handoffs / 2;
        int token = runner.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            // inbox[0] is what A awaits, inbox[1] what B awaits. Each side makes its fresh future
            // before waking the other, so the other always completes the current one.
            @SuppressWarnings("unchecked")
            Future<Integer>[] inbox = new Future[] {null, loop.createFuture()};
            Task<Integer> ping = Asyncio.createTask(() -> {
                int t = 0;
                for (int i = 0; i < rounds; i++) {
                    Future<Integer> mine = loop.createFuture();
                    inbox[0] = mine;
                    inbox[1].setResult(t + 1);
                    t = mine.await();
                }
                return t;
            });
            Task<Void> pong = Asyncio.createTask(() -> {
                for (int i = 0; i < rounds; i++) {
                    int t = inbox[1].await();
                    inbox[1] = loop.createFuture();
                    inbox[0].setResult(t + 1);
                }
            });
            Asyncio.gather(ping, pong).await();
            return ping.result();
        });
        if (token != 2 * rounds) {
            throw new IllegalStateException("lost a handoff: token " + token + ", expected " + 2 * rounds);
        }
        return token;
    }
}
