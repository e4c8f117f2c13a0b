package dev.asyncio.benchmarks;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
import java.time.Duration;
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
 * Workloads {@code waitfor} and {@code waitfor_baseline} (JVM-only rows; no docs/design.md §9 target): what
 * {@link Asyncio#waitFor(Future, Duration)} with a timeout that never fires (1 h) costs over a plain
 * {@link Future#await()}. A waiter task makes a fresh future, publishes it and waits for it; a completer
 * task, looping on {@code sleep(Duration.ZERO)}, completes each published future one {@code sleep(0)}
 * after it appeared. {@link #waitFor} waits with {@code waitFor(f, 1 h)}, {@link #plainAwait} with
 * {@code f.await()}; everything else is the same, so the difference of the two scores is the cost of
 * {@code waitFor} (its timeout scope, timer and cancellation plumbing). Scores are nanoseconds per wait.
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
public class WaitForBenchmark extends LoopPerRound {
    /** Waits per round at the default parameter. */
    static final int OPERATIONS = 200_000;

    /** The timeout of every {@code waitFor}: long enough never to fire. */
    private static final Duration TIMEOUT = Duration.ofHours(1);

    /** Waits per round. */
    @Param("200000")
    public int waits;

    /**
     * One round of {@code waitFor(f, 1 h)}.
     *
     * @return the sum of the results, which must be {@code waits * (waits - 1) / 2}
     */
    @Benchmark
    @OperationsPerInvocation(OPERATIONS)
    public long waitFor() {
        return round(true);
    }

    /**
     * One round of plain {@code f.await()}: the baseline.
     *
     * @return the sum of the results, which must be {@code waits * (waits - 1) / 2}
     */
    @Benchmark
    @OperationsPerInvocation(OPERATIONS)
    public long plainAwait() {
        return round(false);
    }

    private long round(boolean withTimeout) {
        int n = waits;
        long sum = runner.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            @SuppressWarnings("unchecked")
            Future<Integer>[] published = new Future[1];
            Task<Void> completer = Asyncio.createTask(() -> {
                for (int i = 0; i < n; ) {
                    Asyncio.sleep(Duration.ZERO);
                    Future<Integer> f = published[0];
                    if (f != null) {
                        published[0] = null;
                        f.setResult(i++);
                    }
                }
            });
            Task<Long> waiter = Asyncio.createTask(() -> {
                long total = 0;
                for (int i = 0; i < n; i++) {
                    Future<Integer> f = loop.createFuture();
                    published[0] = f;
                    total += withTimeout ? Asyncio.waitFor(f, TIMEOUT) : f.await();
                }
                return total;
            });
            Asyncio.gather(completer, waiter).await();
            return waiter.result();
        });
        return checkSum(sum, n, "waitFor");
    }
}
