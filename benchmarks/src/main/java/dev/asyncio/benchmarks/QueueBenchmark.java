package dev.asyncio.benchmarks;

import dev.asyncio.Asyncio;
import dev.asyncio.Task;
import dev.asyncio.queues.Queue;
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
 * Workload {@code queue} (docs/design.md §9; {@code benchmarks/python/queue.py}): one producer task puts the
 * integers {@code 0..items-1} into a {@link Queue} bounded at {@link #MAXSIZE}, one consumer task gets
 * them and sums them; both are created and gathered inside the timed round, as in the Python program.
 * The score is nanoseconds per item (one {@code put} plus one {@code get}, including the suspensions
 * and wake-ups the bound forces).
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
public class QueueBenchmark extends LoopPerRound {
    /** Items per round at the default parameter. */
    static final int OPERATIONS = 1_000_000;

    /** The queue's bound, as {@code queue.py}'s {@code MAXSIZE}. */
    static final int MAXSIZE = 1000;

    /** Items per round. */
    @Param("1000000")
    public int items;


    /**
     * One round: {@link #items} items from the producer to the consumer.
     *
     * @return the consumer's sum, which must be {@code items * (items - 1) / 2}
     */
    @Benchmark
    @OperationsPerInvocation(OPERATIONS)
    public long putGet() {
        int n = items;
        long total = runner.run(() -> {
            Queue<Integer> q = new Queue<>(MAXSIZE);
            Task<Void> producer = Asyncio.createTask(() -> {
                for (int i = 0; i < n; i++) {
                    q.put(i);
                }
            });
            Task<Long> consumer = Asyncio.createTask(() -> {
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += q.get();
                }
                return sum;
            });
            Asyncio.gather(producer, consumer).await();
            return consumer.result();
        });
        return checkSum(total, n, "the queue");
    }
}
