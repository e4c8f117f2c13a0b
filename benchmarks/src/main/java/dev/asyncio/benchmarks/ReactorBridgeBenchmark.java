package dev.asyncio.benchmarks;

import dev.asyncio.Asyncio;
import dev.asyncio.reactor.ReactorCoroutines;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
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
 * Workloads {@code mono}, {@code flux} and their plain-Reactor baselines {@code mono_baseline},
 * {@code flux_baseline} (JVM-only rows; no docs/design.md §9 target): what the asyncio-reactor bridge costs,
 * measured from inside one {@code Asyncio.run}, next to the same work done by plain Reactor operators on
 * the loop's scheduler ({@link ReactorCoroutines#scheduler(dev.asyncio.EventLoop)}).
 * <ul>
 *   <li>{@link #mono}: {@code await(mono(() -> i))} {@link #calls} times; ns per call. Awaited on its own
 *       loop, the coroutine runs in the awaiting task (no subscription, no task).
 *   <li>{@link #monoSubscribed}: {@code await(mono(() -> i).hide())}: behind an operator, so a subscription
 *       and a task per call; ns per call.
 *   <li>{@link #monoBaseline}: {@code await(Mono.fromCallable(() -> i).subscribeOn(scheduler(loop)))};
 *       ns per call.
 *   <li>{@link #flux}: {@code awaitLast(flux(sink -> emit 0..elements-1))}, the producer a coroutine
 *       that suspends on back-pressure; ns per element.
 *   <li>{@link #fluxBaseline}: {@code awaitLast(Flux.create(sink -> next 0..elements-1)
 *       .subscribeOn(scheduler(loop)))} (Reactor's default BUFFER strategy); ns per element.
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
public class ReactorBridgeBenchmark extends BridgeRound {
    /**
     * One round of {@code await(mono(...))}.
     *
     * @return the sum of the values
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long mono() {
        return awaitEach(() -> null, (none, v) -> ReactorCoroutines.await(ReactorCoroutines.mono(() -> v)), "mono");
    }

    /**
     * One round of {@code await(mono(...).hide())}: the subscription path, a task per call.
     *
     * @return the sum of the values
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long monoSubscribed() {
        return awaitEach(() -> null, (none, v) -> ReactorCoroutines.await(ReactorCoroutines.mono(() -> v).hide()), "mono.hide");
    }

    /**
     * One round of {@code await(Mono.fromCallable(...).subscribeOn(scheduler(loop)))}: the baseline.
     *
     * @return the sum of the values
     */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long monoBaseline() {
        return awaitEach(() -> ReactorCoroutines.scheduler(Asyncio.getRunningLoop()),
                (onLoop, v) -> ReactorCoroutines.await(Mono.fromCallable(() -> v).subscribeOn(onLoop)), "Mono.fromCallable");
    }

    /**
     * One round of a coroutine Flux of {@link #elements} elements.
     *
     * @return the sum of the elements
     */
    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public long flux() {
        return consumeStream((n, onEach) -> ReactorCoroutines.awaitLast(ReactorCoroutines.<Integer>flux(sink -> {
            for (int i = 0; i < n; i++) {
                sink.emit(i);
            }
        }).doOnNext(onEach::accept)), "flux");
    }

    /**
     * One round of {@code Flux.create(...).subscribeOn(scheduler(loop))}: the baseline.
     *
     * @return the sum of the elements
     */
    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public long fluxBaseline() {
        return consumeStream((n, onEach) -> {
            Scheduler onLoop = ReactorCoroutines.scheduler(Asyncio.getRunningLoop());
            ReactorCoroutines.awaitLast(Flux.<Integer>create(sink -> {
                for (int i = 0; i < n; i++) {
                    sink.next(i);
                }
                sink.complete();
            }).subscribeOn(onLoop).doOnNext(onEach::accept));
        }, "Flux.create");
    }
}
