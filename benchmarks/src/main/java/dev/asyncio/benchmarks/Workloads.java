package dev.asyncio.benchmarks;

import static dev.asyncio.benchmarks.Target.atLeast;
import static dev.asyncio.benchmarks.Target.atMost;

import dev.asyncio.benchmarks.Workload.PythonProgram;
import java.util.List;

/**
 * The rows of the comparison, in table order: every workload of docs/design.md §9, then JVM-only rows for
 * the synchronization primitives and the Reactor / RxJava bridges (each bridge row followed by its
 * plain-library baseline row, since the table's ratio columns compare with Python only). Adding a workload is adding one entry here (plus its JMH class and, where CPython has a
 * counterpart, its program in {@code benchmarks/python/}).
 *
 * <p>Issue 24's ratio targets are rows of their own ({@link Quotient}, unit ×), each after the rows it
 * divides: {@code switch_vs_raw} (the portable switch over the bare JDK hand-off, {@code raw_handoff}),
 * {@code virtual_time_vs_raw} (a million sleepers over the JDK's bare park and wake of as many virtual
 * threads, {@code raw_virtual_time}), and each bridge call over its plain-library baseline and over the
 * switch.
 *
 * <p>Full counts are the JMH classes' {@code @Param} defaults and the Python programs' defaults; the
 * quick counts given here match the Python programs' {@code --quick} counts.
 */
final class Workloads {
    private Workloads() {
    }

    /**
     * {@code memory.py} measures one round per process: a full run takes the median of three. Measured after
     * 20 warm-up rounds of 10,000 tasks, when the path from a task's body to its park is compiled (the steady
     * state of a service; see {@link MemoryPerTask} for why the warm-up decides the figure).
     */
    private static final MemoryProcesses MEMORY = new MemoryProcesses(100_000, 10_000, 3, 20, 10_000);
    /** The same after one warm-up round of 100 tasks, as the figure was measured until 2026-12-04: a cold JIT. */
    private static final MemoryProcesses MEMORY_COLD = new MemoryProcesses(100_000, 10_000, 3, 1, 100);

    /** The Python cells of JVM-only rows that have no more specific reason. */
    private static final String JVM_ONLY = "JVM-only: no asyncio counterpart";

    /** The Python cells of the quotient rows. */
    private static final String QUOTIENT = "a quotient of two Java rows of this run";

    /* The rows that quotient rows divide ({@link Quotient}) are named, so that the quotients can refer to them. */

    /** The task switch; divided by the JDK's hand-off, and the bridges' calls divided by it. */
    private static final Workload SWITCH = Workload.of("switch", "switch: sleep(0), 1000 tasks", "ns/op", atMost(200),
            JmhBenchmark.of(SwitchBenchmark.class, "sleepZero", "ns/op")
                    .quick(10_000, "tasks", "1000", "sleepsPerTask", "10"),
            PythonProgram.of("switch.py"));

    /** The bare JDK hand-off a portable switch is made of; no loop, so portable only. */
    private static final Workload RAW_HANDOFF = Workload.javaOnly("raw_handoff",
            "JDK hand-off floor: 1000 virtual threads, no loop", "ns/op", none(),
            JmhBenchmark.of(RawHandoffBenchmark.class, "handoff", "ns/op")
                    .quick(10_000, "laps", "10")
                    .onlyIn(Carrier.PORTABLE, "RawHandoff has no loop: its threads run on the JDK's default scheduler"
                            + " whatever the mode (it is the portable switch's floor)"),
            "JVM-only: the JDK's bare virtual-thread hand-off, no event loop; compare the switch row");

    /** A million sleepers on a virtual clock; divided by the JDK's floor for the same park and wake. */
    private static final Workload VIRTUAL_TIME = Workload.javaOnly("virtual_time", "1M tasks × sleep 1 h, virtual time, wall", "s", atMost(2),
            JmhBenchmark.of(VirtualTimeSleepBenchmark.class, "sleepOneHour", "s/op")
                    .quick(0, "tasks", "10000"),
            "asyncio has no virtual clock");

    /** The bare JDK park and wake that {@link #VIRTUAL_TIME} is made of, on the scheduler each mode's threads run on. */
    private static final Workload RAW_VIRTUAL_TIME = Workload.javaOnly("raw_virtual_time",
            "JDK floor: 1M virtual threads park and wake in turn, no loop", "s", none(),
            JmhBenchmark.of(RawVirtualTimeBenchmark.class, "parkAndWake", "s/op")
                    .quick(0, "threads", "10000")
                    .jvmArgsIn(Carrier.LOOP, "-Djdk.virtualThreadScheduler.parallelism=1"),
            "JVM-only: the JDK's bare virtual threads, no event loop (loop-carrier column: the JDK's scheduler with"
                    + " one carrier, as a loop's threads have); compare the virtual_time row");

    /** The Reactor bridge per call. */
    private static final Workload MONO = Workload.javaOnly("mono", "await(mono(() -> x)), per call", "ns/op", none(),
            JmhBenchmark.of(ReactorBridgeBenchmark.class, "mono", "ns/op")
                    .quick(2_000, "calls", "2000"),
            "JVM-only; compare with the mono_baseline row (plain Reactor)");

    /** The Reactor bridge's subscription path per call: a task each. */
    private static final Workload MONO_SUBSCRIBED = Workload.javaOnly("mono_subscribed",
            "await(mono(() -> x).hide()): subscribed, a task per call", "ns/op", none(),
            JmhBenchmark.of(ReactorBridgeBenchmark.class, "monoSubscribed", "ns/op")
                    .quick(2_000, "calls", "2000"),
            "JVM-only; the mono row without the inline await (behind an operator)");

    /** Plain Reactor on the loop, per call. */
    private static final Workload MONO_BASELINE = Workload.javaOnly("mono_baseline", "baseline: Mono.fromCallable on the loop", "ns/op", none(),
            JmhBenchmark.of(ReactorBridgeBenchmark.class, "monoBaseline", "ns/op")
                    .quick(2_000, "calls", "2000"),
            JVM_ONLY);

    /** The RxJava bridge per call. */
    private static final Workload SINGLE = Workload.javaOnly("single", "await(single(() -> x)), per call", "ns/op", none(),
            JmhBenchmark.of(RxBridgeBenchmark.class, "single", "ns/op")
                    .quick(2_000, "calls", "2000"),
            "JVM-only; compare with the single_baseline row (plain RxJava)");

    /** The RxJava bridge's subscription path per call: a task each. */
    private static final Workload SINGLE_SUBSCRIBED = Workload.javaOnly("single_subscribed",
            "await(single(() -> x).hide()): subscribed, a task per call", "ns/op", none(),
            JmhBenchmark.of(RxBridgeBenchmark.class, "singleSubscribed", "ns/op")
                    .quick(2_000, "calls", "2000"),
            "JVM-only; the single row without the inline await (behind an operator)");

    /** Plain RxJava on the loop, per call. */
    private static final Workload SINGLE_BASELINE = Workload.javaOnly("single_baseline", "baseline: Single.fromCallable on the loop", "ns/op", none(),
            JmhBenchmark.of(RxBridgeBenchmark.class, "singleBaseline", "ns/op")
                    .quick(2_000, "calls", "2000"),
            JVM_ONLY);

    /** Every row, in order. */
    static final List<Workload> ALL = List.of(
            SWITCH,
            RAW_HANDOFF,
            quotient("switch_vs_raw", "switch ÷ JDK hand-off floor", atMost(1.25).in(Carrier.PORTABLE), SWITCH, RAW_HANDOFF),
            Workload.of("pingpong", "future ping-pong, per handoff", "ns/op", atMost(300),
                    JmhBenchmark.of(PingPongBenchmark.class, "handoff", "ns/op")
                            .quick(20_000, "handoffs", "20000"),
                    PythonProgram.of("pingpong.py")),
            Workload.of("spawn_gather_100k", "spawn + gather, 100k tasks", "ns/op", atMost(1_000),
                    JmhBenchmark.of(SpawnGatherBenchmark.class, "tasks100k", "ns/op")
                            .quick(10_000, "smallCount", "10000"),
                    PythonProgram.of("spawn_gather.py", "--n", "100000")),
            Workload.of("spawn_gather_1m", "spawn + gather, 1M tasks", "ns/op", atMost(1_000).in(Carrier.LOOP),
                    JmhBenchmark.of(SpawnGatherBenchmark.class, "tasks1m", "ns/op")
                            .quick(10_000, "largeCount", "10000"),
                    PythonProgram.of("spawn_gather.py", "--n", "1000000")),
            Workload.of("timers", "1M callLater, random 0–1 s, total", "s", atMost(2.5),
                    JmhBenchmark.of(TimersBenchmark.class, "callLater", "s/op")
                            .quick(0, "count", "10000", "maxDelaySeconds", "0.05"),
                    PythonProgram.of("timers.py")),
            Workload.of("queue", "Queue(1000), 1M items, per item", "ns/op", atMost(150),
                    JmhBenchmark.of(QueueBenchmark.class, "putGet", "ns/op")
                            .quick(20_000, "items", "20000"),
                    PythonProgram.of("queue.py")),
            Workload.of("echo", "echo over streams, 50 clients × 2000, 2 loops", "rt/s", atLeast(100_000),
                    JmhBenchmark.of(EchoBenchmark.class, "roundTrips", "ns/op").perSecond().param("loops", "2")
                            .quick(1_000, "clients", "5", "roundTrips", "200"),
                    PythonProgram.of("echo.py")),
            Workload.of("echo_1loop", "echo over streams, 50 clients × 2000, 1 loop", "rt/s", Target.none(false),
                    JmhBenchmark.of(EchoBenchmark.class, "roundTrips", "ns/op").perSecond().param("loops", "1")
                            .quick(1_000, "clients", "5", "roundTrips", "200"),
                    PythonProgram.of("echo.py")),
            Workload.of("memory", "memory per sleeping task (RSS)", "B/task", Target.belowCPython(),
                    MEMORY.rss(),
                    new PythonProgram("memory.py", List.of(), 3)),
            Workload.javaOnly("memory_heap", "memory per sleeping task (heap)", "B/task", atMost(1_024).in(Carrier.LOOP),
                    MEMORY.heap(),
                    "no heap in CPython: compare the RSS row"),
            Workload.of("memory_cold", "memory per sleeping task (RSS), cold JIT", "B/task", none(),
                    MEMORY_COLD.rss(),
                    new PythonProgram("memory.py", List.of(), 3)),
            Workload.javaOnly("memory_heap_cold", "memory per sleeping task (heap), cold JIT", "B/task", none(),
                    MEMORY_COLD.heap(),
                    "no heap in CPython: compare the RSS row"),
            VIRTUAL_TIME,
            RAW_VIRTUAL_TIME,
            quotient("virtual_time_vs_raw", "virtual time ÷ JDK floor", none(), VIRTUAL_TIME, RAW_VIRTUAL_TIME),
            Workload.javaOnly("lock", "Lock, 10 tasks contending, per acquire/release", "ns/op", none(),
                    JmhBenchmark.of(LockBenchmark.class, "acquireRelease", "ns/op")
                            .quick(5_000, "tasks", "10", "rounds", "500"),
                    JVM_ONLY),
            Workload.javaOnly("waitfor", "waitFor(f, 1 h), f set one sleep(0) later", "ns/op", none(),
                    JmhBenchmark.of(WaitForBenchmark.class, "waitFor", "ns/op")
                            .quick(5_000, "waits", "5000"),
                    "JVM-only; compare with the waitfor_baseline row (plain await)"),
            Workload.javaOnly("waitfor_baseline", "baseline: plain await of the same f", "ns/op", none(),
                    JmhBenchmark.of(WaitForBenchmark.class, "plainAwait", "ns/op")
                            .quick(5_000, "waits", "5000"),
                    JVM_ONLY),
            MONO,
            MONO_BASELINE,
            quotient("mono_vs_baseline", "await(mono) ÷ its baseline", atMost(2).in(Carrier.LOOP), MONO, MONO_BASELINE),
            quotient("mono_vs_switch", "await(mono) ÷ switch", atMost(1.5).in(Carrier.PORTABLE), MONO, SWITCH),
            MONO_SUBSCRIBED,
            quotient("mono_subscribed_vs_baseline", "await(mono(…).hide()) ÷ the mono baseline", none(), MONO_SUBSCRIBED, MONO_BASELINE),
            Workload.javaOnly("flux", "flux(sink -> emit 1M), awaitLast, per element", "ns/op", none(),
                    JmhBenchmark.of(ReactorBridgeBenchmark.class, "flux", "ns/op")
                            .quick(20_000, "elements", "20000"),
                    "JVM-only; compare with the flux_baseline row (plain Reactor)"),
            Workload.javaOnly("flux_baseline", "baseline: Flux.create on the loop", "ns/op", none(),
                    JmhBenchmark.of(ReactorBridgeBenchmark.class, "fluxBaseline", "ns/op")
                            .quick(20_000, "elements", "20000"),
                    JVM_ONLY),
            SINGLE,
            SINGLE_BASELINE,
            quotient("single_vs_baseline", "await(single) ÷ its baseline", atMost(2).in(Carrier.LOOP), SINGLE, SINGLE_BASELINE),
            quotient("single_vs_switch", "await(single) ÷ switch", atMost(1.5).in(Carrier.PORTABLE), SINGLE, SWITCH),
            SINGLE_SUBSCRIBED,
            quotient("single_subscribed_vs_baseline", "await(single(…).hide()) ÷ the single baseline", none(), SINGLE_SUBSCRIBED, SINGLE_BASELINE),
            Workload.javaOnly("flowable", "flowable(sink -> emit 1M), awaitLast, per element", "ns/op", none(),
                    JmhBenchmark.of(RxBridgeBenchmark.class, "flowable", "ns/op")
                            .quick(20_000, "elements", "20000"),
                    "JVM-only; compare with the flowable_baseline row (plain RxJava)"),
            Workload.javaOnly("flowable_baseline", "baseline: Flowable.create(BUFFER) on the loop", "ns/op", none(),
                    JmhBenchmark.of(RxBridgeBenchmark.class, "flowableBaseline", "ns/op")
                            .quick(20_000, "elements", "20000"),
                    JVM_ONLY));

    /** A derived row: {@code numerator}'s figure over {@code denominator}'s, per mode, in the unit ×. */
    private static Workload quotient(String name, String title, Target target, Workload numerator, Workload denominator) {
        return Workload.javaOnly(name, title, "×", target, new Quotient(numerator, denominator), QUOTIENT);
    }

    /** Rows without a target: shown for information, lower is better. */
    private static Target none() {
        return Target.none(true);
    }
}
