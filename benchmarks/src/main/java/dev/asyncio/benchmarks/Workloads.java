package dev.asyncio.benchmarks;

import static dev.asyncio.benchmarks.Target.atMost;

import dev.asyncio.benchmarks.Workload.PythonProgram;
import java.util.List;

/**
 * The rows of the comparison, in table order: every workload of DESIGN.md §9 that the core can run
 * today. Adding a workload is adding one entry here (plus its JMH class and, where CPython has a
 * counterpart, its program in {@code benchmarks/python/}).
 *
 * <p>Full counts are the JMH classes' {@code @Param} defaults and the Python programs' defaults; the
 * quick counts given here match the Python programs' {@code --quick} counts.
 */
final class Workloads {
    private Workloads() {
    }

    /** {@code memory.py} measures one round per process: a full run takes the median of three. */
    private static final MemoryProcesses MEMORY = new MemoryProcesses(100_000, 10_000, 3);

    /** Every row, in order. */
    static final List<Workload> ALL = List.of(
            Workload.of("switch", "switch: sleep(0), 1000 tasks", "ns/op", atMost(200),
                    JmhBenchmark.of(SwitchBenchmark.class, "sleepZero", "ns/op")
                            .quick(10_000, "tasks", "1000", "sleepsPerTask", "10"),
                    PythonProgram.of("switch.py")),
            Workload.of("pingpong", "future ping-pong, per handoff", "ns/op", atMost(300),
                    JmhBenchmark.of(PingPongBenchmark.class, "handoff", "ns/op")
                            .quick(20_000, "handoffs", "20000"),
                    PythonProgram.of("pingpong.py")),
            Workload.of("spawn_gather_100k", "spawn + gather, 100k tasks", "ns/op", atMost(1_000),
                    JmhBenchmark.of(SpawnGatherBenchmark.class, "tasks100k", "ns/op")
                            .quick(10_000, "smallCount", "10000"),
                    PythonProgram.of("spawn_gather.py", "--n", "100000")),
            Workload.of("spawn_gather_1m", "spawn + gather, 1M tasks", "ns/op", atMost(1_000),
                    JmhBenchmark.of(SpawnGatherBenchmark.class, "tasks1m", "ns/op")
                            .quick(10_000, "largeCount", "10000"),
                    PythonProgram.of("spawn_gather.py", "--n", "1000000")),
            Workload.of("timers", "1M callLater, random 0–1 s, total", "s", atMost(2.5),
                    JmhBenchmark.of(TimersBenchmark.class, "callLater", "s/op")
                            .quick(0, "count", "10000", "maxDelaySeconds", "0.05"),
                    PythonProgram.of("timers.py")),
            Workload.of("memory", "memory per sleeping task (RSS)", "B/task", atMost(1_024),
                    MEMORY.rss(),
                    new PythonProgram("memory.py", List.of(), 3)),
            Workload.javaOnly("memory_heap", "memory per sleeping task (heap)", "B/task", atMost(1_024),
                    MEMORY.heap(),
                    "no heap in CPython: compare the RSS row"),
            Workload.javaOnly("virtual_time", "1M tasks × sleep 1 h, virtual time, wall", "s", atMost(2),
                    JmhBenchmark.of(VirtualTimeSleepBenchmark.class, "sleepOneHour", "s/op")
                            .quick(0, "tasks", "10000"),
                    "asyncio has no virtual clock"));
}
