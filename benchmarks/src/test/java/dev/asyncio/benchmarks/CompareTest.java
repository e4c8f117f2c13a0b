package dev.asyncio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code --only} with quotient rows, and a quotient computed from the figures of the same run. */
class CompareTest {
    private static List<String> names(List<Workload> rows) {
        return rows.stream().map(Workload::name).toList();
    }

    @Test
    void onlyAQuotientAlsoMeasuresTheRowsItDividesAndSaysSo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Workload> chosen = Compare.choose(Workloads.ALL, Set.of("mono_vs_baseline"),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(List.of("mono", "mono_baseline", "mono_vs_baseline"), names(chosen), "inputs added, table order kept");
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(
                "mono_vs_baseline is computed from mono and mono_baseline of the same run: also measuring mono, mono_baseline"), out.toString());
    }

    @Test
    void inputsNamedOrSharedAreMeasuredOnceAndNothingIsSaidWhenNothingIsAdded() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream progress = new PrintStream(out, true, StandardCharsets.UTF_8);
        List<Workload> chosen = Compare.choose(Workloads.ALL,
                new LinkedHashSet<>(List.of("switch_vs_raw", "switch", "raw_handoff")), progress);
        assertEquals(List.of("switch", "raw_handoff", "switch_vs_raw"), names(chosen));
        assertEquals("", out.toString(StandardCharsets.UTF_8));

        chosen = Compare.choose(Workloads.ALL, Set.of("mono_vs_switch", "single_vs_switch"), progress);
        assertEquals(List.of("switch", "mono", "mono_vs_switch", "single", "single_vs_switch"), names(chosen));
        assertEquals(chosen.size(), chosen.stream().collect(Collectors.toSet()).size(), "each row once");
    }

    @Test
    void anUnknownNameIsRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Compare.choose(Workloads.ALL, Set.of("mono_vs_nothing"), System.err));
        assertTrue(e.getMessage().contains("unknown workload 'mono_vs_nothing'"), e.getMessage());
    }

    @Test
    void aQuotientIsTheQuotientOfItsInputsFiguresOfTheSameRun() {
        // Quick counts, JMH in this JVM: checks the harness end to end, asserts nothing about speed.
        Report report = Compare.run(new String[] {"--quick", "--in-process", "--no-python", "--only", "switch_vs_raw"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        Map<String, Report.Row> rows = report.rows().stream().collect(Collectors.toMap(r -> r.workload().name(), r -> r));
        assertEquals(List.of("switch", "raw_handoff", "switch_vs_raw"), report.rows().stream().map(r -> r.workload().name()).toList());
        Cell sw = rows.get("switch").java().get(Carrier.PORTABLE);
        Cell raw = rows.get("raw_handoff").java().get(Carrier.PORTABLE);
        Cell ratio = rows.get("switch_vs_raw").java().get(Carrier.PORTABLE);
        assertTrue(sw.hasValue() && raw.hasValue() && ratio.hasValue(), ResultsTable.render(report));
        assertEquals(sw.value() / raw.value(), ratio.value(), 1e-9 * ratio.value());
        assertFalse(rows.get("raw_handoff").java().get(Carrier.LOOP).hasValue(), "raw_handoff is not measured in loop-carrier");
        assertFalse(rows.get("switch_vs_raw").java().get(Carrier.LOOP).hasValue());
        assertTrue(rows.get("switch").java().get(Carrier.LOOP).hasValue());
        assertTrue(report.javaComplete(), ResultsTable.render(report));
        String table = ResultsTable.render(report);
        assertTrue(table.contains("raw_handoff has no loop-carrier figure (RawHandoff has no loop: its threads run"), table);
    }
}
