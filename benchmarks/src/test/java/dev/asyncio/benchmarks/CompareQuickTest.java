package dev.asyncio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps the comparison harness from rotting: runs {@link Compare} in quick mode (tiny counts, JMH
 * in-process) over every workload, both carrier modes and whatever Python the machine has, and checks
 * that the table has a row with a figure for every workload. Asserts nothing about speed.
 */
class CompareQuickTest {

    @Test
    void quickRunHasAFigureForEveryWorkloadInBothModes() {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Report report = Compare.run(new String[] {"--quick", "--in-process"}, new PrintStream(progress, true, StandardCharsets.UTF_8));
        String table = ResultsTable.render(report);
        String log = progress.toString(StandardCharsets.UTF_8);

        assertEquals(Workloads.ALL.size(), report.rows().size(), "one row per workload");
        List<String> lines = table.lines().toList();
        String[] header = cells(lines.get(0));
        assertEquals("Java portable", header[2]);
        assertEquals("Java loop-carrier", header[3]);
        for (Workload w : Workloads.ALL) {
            String row = lines.stream().filter(l -> l.startsWith("| " + w.title() + " ")).findFirst()
                    .orElseGet(() -> fail("no row for " + w.name() + " in\n" + table));
            String[] c = cells(row);
            assertEquals(w.unit(), c[1], w.name() + " unit");
            for (Carrier carrier : Carrier.values()) {
                String cell = c[2 + carrier.ordinal()];
                if (w.java().unavailableIn(carrier) == null) {
                    assertNumber(cell, w.name() + " " + carrier.label, table, log);
                } else {
                    // no figure by design (raw_handoff has no loop): a note says why
                    assertTrue(cell.startsWith("n/a ["), w.name() + " " + carrier.label + ": " + cell + "\n" + table);
                }
            }
            for (int p = 0; p < report.pythonColumns().size(); p++) {
                PythonSide.Column column = report.pythonColumns().get(p);
                String cell = c[4 + p];
                if (column.unavailable() == null && w.python() != null) {
                    assertNumber(cell, w.name() + " " + column.label(), table, log);
                } else {
                    // no interpreter (or no counterpart): the cell must say so through a note, not fail
                    assertTrue(cell.startsWith("n/a ["), w.name() + " " + column.label() + ": " + cell + "\n" + table);
                }
            }
            String verdicts = c[c.length - 1];
            if (w.target().exists()) {
                String[] perMode = verdicts.split(" / ");
                assertEquals(Carrier.values().length, perMode.length, w.name() + " verdicts: " + verdicts);
                int cpython = report.cpythonColumn();
                boolean reference = !w.target().relativeToCPython() || c[4 + cpython].matches("[0-9,.]+");
                for (Carrier carrier : Carrier.values()) {
                    boolean judged = w.target().appliesTo(carrier) && w.java().unavailableIn(carrier) == null && reference;
                    assertTrue(perMode[carrier.ordinal()].matches(judged ? "pass|MISS" : "—"),
                            w.name() + " verdict in " + carrier.mode + ": " + verdicts);
                }
            } else {
                assertEquals("—", verdicts, w.name() + " has no target, so no verdict");
                assertEquals("—", c[c.length - 2], w.name() + " target");
            }
        }
        assertTrue(report.javaComplete(), table);
        assertTrue(report.environment().stream().anyMatch(l -> l.startsWith("JDK: ")));
        assertFalse(log.isBlank(), "progress is reported");
    }

    private static String[] cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.length() - 1); // the outer pipes
        return Arrays.stream(inner.split("\\|")).map(String::strip).toArray(String[]::new);
    }

    private static void assertNumber(String cell, String what, String table, String log) {
        try {
            double v = Double.parseDouble(cell.replace(",", ""));
            assertTrue(v > 0 && Double.isFinite(v), what + " is not a positive figure: " + cell);
        } catch (NumberFormatException e) {
            fail(what + " has no figure: '" + cell + "'\n" + table + "\nprogress:\n" + log);
        }
    }
}
