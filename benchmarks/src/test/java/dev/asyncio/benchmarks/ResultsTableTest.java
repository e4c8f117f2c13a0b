package dev.asyncio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table's arithmetic: ratios in the right direction, verdicts against the target, notes for gaps. */
class ResultsTableTest {
    private static final Workload.JavaMeasurement UNUSED = NotMeasured.inBothModes();

    private static final List<PythonSide.Column> COLUMNS = List.of(
            new PythonSide.Column("CPython 3.11.7", Path.of("/usr/bin/python3"), false, null),
            new PythonSide.Column("uvloop", null, true, "uvloop not importable by /usr/bin/python3"));

    private static Report report(Workload w, double portable, Cell loop, Cell cpython) {
        Map<Carrier, Cell> java = new EnumMap<>(Carrier.class);
        java.put(Carrier.PORTABLE, Cell.of(portable));
        java.put(Carrier.LOOP, loop);
        Cell uvloop = Cell.missing(COLUMNS.get(1).unavailable());
        return new Report(new Compare.Settings(true, true, 0, Path.of("target"), 0), COLUMNS,
                List.of(new Report.Row(w, java, List.of(cpython, uvloop))), List.of());
    }

    private static String row(String table, Workload w) {
        return table.lines().filter(l -> l.startsWith("| " + w.title() + " ")).findFirst().orElseThrow();
    }

    @Test
    void timeRowsRatioIsTheirTimeOverOursAndVerdictsFollowTheTarget() {
        Workload w = Workload.of("switch", "switch", "ns/op", Target.atMost(200), UNUSED, Workload.PythonProgram.of("switch.py"));
        String table = ResultsTable.render(report(w, 150, Cell.of(250), Cell.of(1_500)));
        String row = row(table, w);
        assertTrue(row.contains("10.0× / 6.00×"), row);
        assertTrue(row.contains("pass / MISS"), row);
        assertTrue(row.contains("≤ 200 ns/op"), row);
        assertTrue(row.contains("1,500"), row);
    }

    @Test
    void throughputRowsRatioIsOursOverTheirs() {
        Workload w = Workload.of("echo", "echo", "rt/s", Target.atLeast(100_000), UNUSED, Workload.PythonProgram.of("echo.py"));
        String row = row(ResultsTable.render(report(w, 120_000, Cell.of(90_000), Cell.of(20_000))), w);
        assertTrue(row.contains("6.00× / 4.50×"), row);
        assertTrue(row.contains("pass / MISS"), row);
        assertTrue(row.contains("≥ 100,000 rt/s"), row);
    }

    @Test
    void rowsWithoutATargetShowADashAndNoVerdict() {
        Workload w = Workload.javaOnly("mono", "mono", "ns/op", Target.none(true), UNUSED, "JVM-only");
        Report r = report(w, 900, Cell.of(1_100), Cell.missing("JVM-only"));
        String row = row(ResultsTable.render(r), w);
        assertTrue(row.matches(".*\\|\\s+— \\|\\s+— \\|$"), "target and verdict are dashes: " + row);
        assertTrue(row.contains("900") && row.contains("1,100"), row);
        assertEquals(Target.Verdict.NONE, Target.none(true).judge(Carrier.LOOP, Cell.of(1), Cell.of(2)));
    }

    @Test
    void missingFiguresPointToNotesThatSayWhy() {
        Workload w = Workload.of("timers", "timers", "s", Target.atMost(2.5), UNUSED, Workload.PythonProgram.of("timers.py"));
        Report r = report(w, 1.25, Cell.missing("fork died"), Cell.of(7.2));
        String table = ResultsTable.render(r);
        String row = row(table, w);
        assertTrue(row.contains("5.76× / —"), row);
        assertTrue(row.contains("pass / —"), row);
        assertTrue(row.contains("≤ 2.5 s"), row);
        assertTrue(table.contains("[1] fork died"), table);
        assertTrue(table.contains("[2] uvloop not importable by /usr/bin/python3"), table);
        assertFalse(r.javaComplete());
    }

    @Test
    void aTargetOfOneModeJudgesThatModeOnly() {
        Workload w = Workload.javaOnly("memory_heap", "memory_heap", "B/task", Target.atMost(1_024).in(Carrier.LOOP), UNUSED,
                "no heap in CPython");
        String row = row(ResultsTable.render(report(w, 5_000, Cell.of(1_000), Cell.missing("no heap in CPython"))), w);
        assertTrue(row.contains("≤ 1,024 B/task (loop-carrier only)"), row);
        assertTrue(row.matches(".*\\|\\s+— / pass \\|$"), "no verdict for portable, whatever its figure: " + row);
    }

    @Test
    void aTargetBelowCPythonIsJudgedAgainstTheCPythonCellOfTheRow() {
        Workload w = Workload.of("memory", "memory", "B/task", Target.belowCPython(), UNUSED, Workload.PythonProgram.of("memory.py"));
        String row = row(ResultsTable.render(report(w, 1_966, Cell.of(1_400), Cell.of(1_484))), w);
        assertTrue(row.contains("< CPython"), row);
        assertTrue(row.matches(".*\\|\\s+MISS / pass \\|$"), row);
        String noPython = row(ResultsTable.render(report(w, 1_966, Cell.of(1_400), Cell.missing("python3 not found"))), w);
        assertTrue(noPython.matches(".*\\|\\s+— / — \\|$"), "without CPython's figure there is nothing to be below: " + noPython);
    }

    @Test
    void aQuotientRowShowsItsFigureInTimesAndAModeWithoutOneByDesignIsNotAFailure() {
        Workload sw = Workload.of("switch", "switch", "ns/op", Target.atMost(200), UNUSED, Workload.PythonProgram.of("switch.py"));
        Workload raw = Workload.javaOnly("raw_handoff", "raw_handoff", "ns/op", Target.none(true),
                NotMeasured.without(Carrier.LOOP, "RawHandoff has no loop"), "JVM-only");
        Quotient q = new Quotient(sw, raw);
        Workload ratio = Workload.javaOnly("switch_vs_raw", "switch_vs_raw", "×", Target.atMost(1.25).in(Carrier.PORTABLE), q,
                "a quotient of two Java rows of this run");
        Cell loopRatio = q.of(Carrier.LOOP, Cell.of(236), Cell.missing("RawHandoff has no loop"));
        Report r = report(ratio, 409 / 1382.0, loopRatio, Cell.missing("a quotient of two Java rows of this run"));
        String table = ResultsTable.render(r);
        String row = row(table, ratio);
        assertTrue(row.matches("\\| switch_vs_raw \\| × +\\| +0\\.30 \\| +n/a \\[1] \\|.*"), row);
        assertTrue(row.contains("≤ 1.25× (portable only)"), row);
        assertTrue(row.matches(".*\\|\\s+pass / — \\|$"), row);
        assertTrue(table.contains("[1] raw_handoff has no loop-carrier figure (RawHandoff has no loop)"), table);
        assertTrue(r.javaComplete(), "a cell without a figure by design is not a failed measurement");
        assertFalse(report(sw, 400, Cell.missing("fork died"), Cell.of(1_100)).javaComplete(),
                "a mode the row has a figure in must have one");
    }

    @Test
    void aWorkloadNeedsAPythonProgramOrAReasonForNone() {
        assertThrows(IllegalArgumentException.class,
                () -> new Workload("x", "x", "s", Target.atMost(1), UNUSED, null, null));
        assertEquals(2.0, Compare.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, Compare.median(List.of(4.0, 1.0, 2.0, 3.0)));
    }

    @Test
    void badArgumentsAreRejectedWithTheReason() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Compare.run(new String[] {"--only", "nosuch"}, System.err));
        assertTrue(e.getMessage().contains("unknown workload 'nosuch'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Compare.run(new String[] {"--forks", "0"}, System.err));
        assertTrue(e.getMessage().contains("--forks must be at least 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Compare.run(new String[] {"--frobnicate"}, System.err));
        assertTrue(e.getMessage().contains("unknown argument '--frobnicate'"), e.getMessage());
    }
}
