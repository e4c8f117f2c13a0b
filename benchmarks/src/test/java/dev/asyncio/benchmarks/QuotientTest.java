package dev.asyncio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A derived row's arithmetic and the reasons it gives when it has no figure. */
class QuotientTest {
    private static final Workload.JavaMeasurement UNUSED = NotMeasured.inBothModes();
    private static final Workload.JavaMeasurement PORTABLE_ONLY = NotMeasured.without(Carrier.LOOP, "it has no loop");

    private static Workload row(String name, String unit, Workload.JavaMeasurement java) {
        return Workload.javaOnly(name, name, unit, Target.none(true), java, "JVM-only");
    }

    @Test
    void theFigureIsTheNumeratorsOverTheDenominatorsOfTheSameMode() {
        Quotient q = new Quotient(row("mono", "ns/op", UNUSED), row("mono_baseline", "ns/op", UNUSED));
        Cell cell = q.of(Carrier.LOOP, Cell.of(666), Cell.of(213));
        assertTrue(cell.hasValue());
        assertEquals(666 / 213.0, cell.value(), 1e-12);
        assertNull(q.unavailableIn(Carrier.LOOP));
        assertTrue(q.describe().contains("mono ÷ mono_baseline"), q.describe());
    }

    @Test
    void aMissingInputGivesNoFigureAndNamesTheInput() {
        Quotient q = new Quotient(row("single", "ns/op", UNUSED), row("switch", "ns/op", UNUSED));
        Cell noNumerator = q.of(Carrier.PORTABLE, Cell.missing("fork died"), Cell.of(400));
        assertFalse(noNumerator.hasValue());
        assertEquals("no quotient: single has no portable figure in this run (see its row)", noNumerator.message());
        Cell noDenominator = q.of(Carrier.LOOP, Cell.of(600), Cell.missing("fork died"));
        assertEquals("no quotient: switch has no loop-carrier figure in this run (see its row)", noDenominator.message());
    }

    @Test
    void aModeAnInputHasNoFigureInByDesignIsUnavailableForTheSameReason() {
        Quotient q = new Quotient(row("switch", "ns/op", UNUSED), row("raw_handoff", "ns/op", PORTABLE_ONLY));
        assertNull(q.unavailableIn(Carrier.PORTABLE));
        assertEquals("raw_handoff has no loop-carrier figure (it has no loop)", q.unavailableIn(Carrier.LOOP));
        Cell loop = q.of(Carrier.LOOP, Cell.of(236), Cell.missing("it has no loop"));
        assertEquals("raw_handoff has no loop-carrier figure (it has no loop)", loop.message());
        assertEquals(1.5, q.of(Carrier.PORTABLE, Cell.of(600), Cell.of(400)).value(), 1e-12);
    }

    @Test
    void onlyMeasuredRowsOfOneUnitCanBeDivided() {
        Workload a = row("a", "ns/op", UNUSED);
        Workload b = row("b", "ns/op", UNUSED);
        var e = assertThrows(IllegalArgumentException.class, () -> new Quotient(a, row("s", "s", UNUSED)));
        assertTrue(e.getMessage().contains("cannot divide a (ns/op) by s (s)"), e.getMessage());
        Workload ab = Workload.javaOnly("ab", "ab", "×", Target.none(true), new Quotient(a, b), "derived");
        e = assertThrows(IllegalArgumentException.class, () -> new Quotient(ab, ab));
        assertTrue(e.getMessage().contains("ab is a quotient"), e.getMessage());
    }
}
