package dev.asyncio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rows carry the targets issue 24 states. */
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

    @Test
    void theExistingRowsCarryTheIssuesTargets() {
        assertTarget("memory", "< CPython", EnumSet.allOf(Carrier.class));
        assertTarget("memory_heap", "≤ 1,024 B/task (loop-carrier only)", EnumSet.of(Carrier.LOOP));
        assertTarget("virtual_time", "≤ 2 s", EnumSet.allOf(Carrier.class));
        assertTarget("spawn_gather_1m", "≤ 1,000 ns/op (loop-carrier only)", EnumSet.of(Carrier.LOOP));
    }

    @Test
    void rowNamesAreUnique() {
        Set<String> seen = new HashSet<>();
        Workloads.ALL.forEach(w -> assertTrue(seen.add(w.name()), "duplicate row " + w.name()));
    }
}
