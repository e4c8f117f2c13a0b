package dev.asyncio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.benchmarks.Target.Verdict;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Verdicts of fixed, mode-limited and CPython-relative targets, and how the table writes them. */
class TargetTest {
    private static final Cell NO_CPYTHON = Cell.missing("python3 not found");

    @Test
    void aFixedBoundJudgesBothModesInItsDirection() {
        Target atMost = Target.atMost(200);
        assertEquals(Verdict.PASS, atMost.judge(Carrier.PORTABLE, Cell.of(200), NO_CPYTHON));
        assertEquals(Verdict.MISS, atMost.judge(Carrier.LOOP, Cell.of(200.5), NO_CPYTHON));
        Target atLeast = Target.atLeast(100_000);
        assertEquals(Verdict.PASS, atLeast.judge(Carrier.LOOP, Cell.of(100_000), NO_CPYTHON));
        assertEquals(Verdict.MISS, atLeast.judge(Carrier.PORTABLE, Cell.of(99_999), NO_CPYTHON));
        assertEquals("≤ 200 ns/op", atMost.describe("ns/op"));
        assertEquals("≥ 100,000 rt/s", atLeast.describe("rt/s"));
    }

    @Test
    void aTargetLimitedToOneModeGivesTheOtherNoVerdictWhateverItsFigure() {
        Target loopOnly = Target.atMost(1_024).in(Carrier.LOOP);
        assertTrue(loopOnly.appliesTo(Carrier.LOOP));
        assertFalse(loopOnly.appliesTo(Carrier.PORTABLE));
        assertEquals(Verdict.NONE, loopOnly.judge(Carrier.PORTABLE, Cell.of(5_000), NO_CPYTHON));
        assertEquals(Verdict.NONE, loopOnly.judge(Carrier.PORTABLE, Cell.of(10), NO_CPYTHON));
        assertEquals(Verdict.PASS, loopOnly.judge(Carrier.LOOP, Cell.of(1_000), NO_CPYTHON));
        assertEquals(Verdict.MISS, loopOnly.judge(Carrier.LOOP, Cell.of(1_100), NO_CPYTHON));
        assertEquals("≤ 1,024 B/task (loop-carrier only)", loopOnly.describe("B/task"));
        assertEquals("≤ 1.25× (portable only)", Target.atMost(1.25).in(Carrier.PORTABLE).describe("×"));
        assertEquals("≤ 2×", Target.atMost(2).describe("×"));
        assertEquals(Set.of(Carrier.PORTABLE, Carrier.LOOP), Target.atMost(2).in(Carrier.LOOP, Carrier.PORTABLE).modes());
    }

    @Test
    void belowCPythonComparesWithCPythonsFigureOfTheSameRunStrictly() {
        Target below = Target.belowCPython();
        assertTrue(below.exists());
        assertEquals(Verdict.PASS, below.judge(Carrier.PORTABLE, Cell.of(1_400), Cell.of(1_484)));
        assertEquals(Verdict.MISS, below.judge(Carrier.LOOP, Cell.of(1_546), Cell.of(1_484)));
        assertEquals(Verdict.MISS, below.judge(Carrier.LOOP, Cell.of(1_484), Cell.of(1_484)), "equal is not below");
        assertEquals(Verdict.NONE, below.judge(Carrier.LOOP, Cell.of(10), NO_CPYTHON), "no CPython figure, no verdict");
        assertEquals("< CPython", below.describe("B/task"));
        assertEquals("< CPython (portable only)", below.in(Carrier.PORTABLE).describe("B/task"));
        assertEquals(Verdict.NONE, below.in(Carrier.PORTABLE).judge(Carrier.LOOP, Cell.of(10), Cell.of(1_484)));
    }

    @Test
    void aMissingJavaFigureOrNoTargetGivesNoVerdict() {
        assertEquals(Verdict.NONE, Target.atMost(200).judge(Carrier.LOOP, Cell.missing("fork died"), NO_CPYTHON));
        assertEquals(Verdict.NONE, Target.none(true).judge(Carrier.LOOP, Cell.of(1), Cell.of(2)));
        assertEquals("—", Target.none(true).describe("ns/op"));
        assertFalse(Target.none(false).appliesTo(Carrier.PORTABLE));
        assertEquals("—", Verdict.NONE.text);
    }

    @Test
    void malformedTargetsAreRefused() {
        assertThrows(IllegalStateException.class, () -> Target.none(true).in(Carrier.LOOP));
        assertThrows(IllegalArgumentException.class, () -> new Target(1, true, true, Set.of(Carrier.LOOP)));
        assertThrows(IllegalArgumentException.class, () -> new Target(1, true, false, Set.of()));
    }
}
