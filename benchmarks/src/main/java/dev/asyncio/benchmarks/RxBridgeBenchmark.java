package dev.asyncio.benchmarks;

import dev.asyncio.Asyncio;
import dev.asyncio.rxjava3.RxCoroutines;
import io.reactivex.rxjava3.core.BackpressureStrategy;
import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.core.Single;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workloads {@code single}, {@code flowable} and their plain-RxJava baselines {@code single_baseline},
 * {@code flowable_baseline} (JVM-only rows; no docs/design.md §9 target): what the asyncio-rxjava bridge costs,
 * measured from inside one {@code Asyncio.run}, next to the same work done by plain RxJava operators on
 * the loop's scheduler ({@link RxCoroutines#asScheduler(dev.asyncio.EventLoop)}).
 * <ul>
 *   <li>{@link #single}: {@code await(single(() -> i))} {@link #calls} times; ns per call. Awaited on its
 *       own loop, the coroutine runs in the awaiting task (no subscription, no task).
 *   <li>{@link #singleSubscribed}: {@code await(single(() -> i).hide())}: behind an operator, so a
 *       subscription and a task per call; ns per call.
 *   <li>{@link #singleBaseline}: {@code await(Single.fromCallable(() -> i).subscribeOn(asScheduler(loop)))};
 *       ns per call.
 *   <li>{@link #flowable}: {@code awaitLast(flowable(sink -> emit 0..elements-1))}, the producer a
 *       coroutine that suspends on back-pressure; ns per element.
 *   <li>{@link #flowableBaseline}: {@code awaitLast(Flowable.create(emitter -> onNext 0..elements-1,
 *       BUFFER).subscribeOn(asScheduler(loop)))}; ns per element.
 * </ul>
 * Each round checks the sum of what it received. One JMH iteration is one round on a fresh loop made in
 * an untimed setup. Carrier mode: the JVM's default (see {@link SwitchBenchmark}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 5)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx4g"})
public class RxBridgeBenchmark extends BridgeRound {
    /**
     * One round of {@code await(single(...))}.
     *
     * @return the sum of the values
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long single() {
        return awaitEach(() -> null, (none, v) -> RxCoroutines.await(RxCoroutines.single(() -> v)), "single");
    }

    /**
     * One round of {@code await(single(...).hide())}: the subscription path, a task per call.
     *
     * @return the sum of the values
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long singleSubscribed() {
        return awaitEach(() -> null, (none, v) -> RxCoroutines.await(RxCoroutines.single(() -> v).hide()), "single.hide");
    }

    /**
     * One round of {@code await(Single.fromCallable(...).subscribeOn(asScheduler(loop)))}: the baseline.
     *
     * @return the sum of the values
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long singleBaseline() {
        return awaitEach(() -> RxCoroutines.asScheduler(Asyncio.getRunningLoop()),
                (onLoop, v) -> RxCoroutines.await(Single.fromCallable(() -> v).subscribeOn(onLoop)), "Single.fromCallable");
    }

    /**
     * One round of a coroutine Flowable of {@link #elements} elements.
     *
     * @return the sum of the elements
     */
    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public long flowable() {
        return consumeStream((n, onEach) -> RxCoroutines.awaitLast(RxCoroutines.<Integer>flowable(sink -> {
            for (int i = 0; i < n; i++) {
                sink.emit(i);
            }
        }).doOnNext(onEach::accept)), "flowable");
    }

    /**
     * One round of {@code Flowable.create(..., BUFFER).subscribeOn(asScheduler(loop))}: the baseline.
     *
     * @return the sum of the elements
     */
    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public long flowableBaseline() {
        return consumeStream((n, onEach) -> {
            Scheduler onLoop = RxCoroutines.asScheduler(Asyncio.getRunningLoop());
            RxCoroutines.awaitLast(Flowable.<Integer>create(emitter -> {
                for (int i = 0; i < n; i++) {
                    emitter.onNext(i);
                }
                emitter.onComplete();
            }, BackpressureStrategy.BUFFER).subscribeOn(onLoop).doOnNext(onEach::accept));
        }, "Flowable.create");
    }
}
