package dev.asyncio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rows carry the targets issue 24 states, and the derived rows divide the rows they say. */
class WorkloadsTest {
    private static Workload row(String name) {
        return Workloads.ALL.stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + name));
    }

    private static void assertTarget(String name, String described, Set<Carrier> modes) {
        Workload w = row(name);
        assertEquals(described, w.target().describe(w.unit()), name);
        assertEquals(modes, w.target().modes(), name + " modes");
    }

    private static void assertQuotient(String name, String numerator, String denominator) {
        Workload w = row(name);
        Quotient q = assertInstanceOf(Quotient.class, w.java(), name);
        assertEquals(numerator, q.numerator().name(), name);
        assertEquals(denominator, q.denominator().name(), name);
        assertEquals("×", w.unit(), name);
        assertNull(w.python(), name + " has no Python program");
        int at = Workloads.ALL.indexOf(w);
        assertTrue(Workloads.ALL.indexOf(q.numerator()) >= 0 && Workloads.ALL.indexOf(q.numerator()) < at, name + " after its numerator");
        assertTrue(Workloads.ALL.indexOf(q.denominator()) >= 0 && Workloads.ALL.indexOf(q.denominator()) < at, name + " after its denominator");
    }

    @Test
    void theRatioTargetsAreQuotientRowsWithTheirModes() {
        assertQuotient("switch_vs_raw", "switch", "raw_handoff");
        assertTarget("switch_vs_raw", "≤ 1.25× (portable only)", EnumSet.of(Carrier.PORTABLE));
        assertQuotient("mono_vs_baseline", "mono", "mono_baseline");
        assertTarget("mono_vs_baseline", "≤ 2× (loop-carrier only)", EnumSet.of(Carrier.LOOP));
        assertQuotient("mono_vs_switch", "mono", "switch");
        assertTarget("mono_vs_switch", "≤ 1.5× (portable only)", EnumSet.of(Carrier.PORTABLE));
        assertQuotient("single_vs_baseline", "single", "single_baseline");
        assertTarget("single_vs_baseline", "≤ 2× (loop-carrier only)", EnumSet.of(Carrier.LOOP));
        assertQuotient("single_vs_switch", "single", "switch");
        assertTarget("single_vs_switch", "≤ 1.5× (portable only)", EnumSet.of(Carrier.PORTABLE));
        assertQuotient("virtual_time_vs_raw", "virtual_time", "raw_virtual_time");
    }

    @Test
    void theVirtualTimeFloorRunsOnTheSchedulerEachModesThreadsRunOn() {
        Workload raw = row("raw_virtual_time");
        JmhBenchmark jmh = assertInstanceOf(JmhBenchmark.class, raw.java());
        assertNull(jmh.unavailableIn(Carrier.PORTABLE));
        assertNull(jmh.unavailableIn(Carrier.LOOP));
        assertEquals(Carrier.PORTABLE.jvmArgs(), jmh.forkArgs(Carrier.PORTABLE), "portable: the JDK's default scheduler");
        List<String> loop = jmh.forkArgs(Carrier.LOOP);
        assertEquals(Carrier.LOOP.jvmArgs(), loop.subList(0, Carrier.LOOP.jvmArgs().size()));
        assertEquals("-Djdk.virtualThreadScheduler.parallelism=1", loop.get(loop.size() - 1), "loop-carrier: one carrier");
        assertTrue(jmh.describe().contains("loop-carrier: -Djdk.virtualThreadScheduler.parallelism=1"), jmh.describe());
        assertNull(raw.python());
    }

    @Test
    void theExistingRowsCarryTheIssuesTargets() {
        assertTarget("memory", "< CPython", EnumSet.allOf(Carrier.class));
        assertTarget("memory_heap", "≤ 1,024 B/task (loop-carrier only)", EnumSet.of(Carrier.LOOP));
        assertTarget("virtual_time", "≤ 2 s", EnumSet.allOf(Carrier.class));
        assertTarget("spawn_gather_1m", "≤ 1,000 ns/op (loop-carrier only)", EnumSet.of(Carrier.LOOP));
    }

    @Test
    void rawHandoffIsAPortableJvmOnlyRowWithAReasonForTheOtherCells() {
        Workload raw = row("raw_handoff");
        assertNull(raw.python());
        assertNotNull(raw.noPythonReason());
        assertNull(raw.java().unavailableIn(Carrier.PORTABLE));
        assertTrue(raw.java().unavailableIn(Carrier.LOOP).contains("no loop"), raw.java().unavailableIn(Carrier.LOOP));
        assertTrue(raw.java().describe().contains("RawHandoffBenchmark.handoff"), raw.java().describe());
    }

    @Test
    void rowNamesAreUnique() {
        Set<String> seen = new HashSet<>();
        Workloads.ALL.forEach(w -> assertTrue(seen.add(w.name()), "duplicate row " + w.name()));
    }
}
