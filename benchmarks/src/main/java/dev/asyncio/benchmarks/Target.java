package dev.asyncio.benchmarks;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A performance target (docs/design.md §9, and the ones issue 24 states): a bound on one workload's Java
 * figure, in the carrier modes it applies to.
 *
 * <p>The bound is either a fixed figure in the workload's unit ({@link #atMost}, {@link #atLeast}) or
 * CPython's figure of the same row in the same run ({@link #belowCPython}): a target such as "less memory
 * per task than CPython" holds on whatever machine the run is on, where a fixed number of bytes does not.
 * A target can be limited to some carrier modes ({@link #in}), e.g. one the issue sets for the
 * loop-carrier mode only; the other modes' figures are shown without a verdict.
 *
 * @param bound the limit, in the workload's unit; NaN for a row without a target (see {@link #none}), and
 *     for a relative target (the limit is then the CPython figure)
 * @param lowerIsBetter whether the figure must stay at or below {@code bound} (times, bytes) rather than
 *     reach at least it (throughput); also the direction of the table's "how many times better" ratios
 * @param relativeToCPython whether the limit is CPython's figure of the same row and run (the Java figure
 *     must be strictly below it) instead of {@code bound}
 * @param modes the carrier modes the target applies to
 */
record Target(double bound, boolean lowerIsBetter, boolean relativeToCPython, Set<Carrier> modes) {

    /** What a Java figure of one mode gets against the target. */
    enum Verdict {
        /** The figure meets the target. */
        PASS("pass"),
        /** The figure misses the target. */
        MISS("MISS"),
        /**
         * No verdict: the row has no target, the target does not apply to this mode, or a figure it needs
         * (ours, or CPython's for a relative target) is missing.
         */
        NONE("—");

        /** How the results table writes it. */
        final String text;

        Verdict(String text) {
            this.text = text;
        }
    }

    Target {
        Objects.requireNonNull(modes, "modes");
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("a target applies to at least one carrier mode");
        }
        if (relativeToCPython && !Double.isNaN(bound)) {
            throw new IllegalArgumentException("a target relative to CPython has no fixed bound, got " + bound);
        }
        modes = Set.copyOf(EnumSet.copyOf(modes));
    }

    /** @return a target the figure must not exceed, in both carrier modes */
    static Target atMost(double bound) {
        return new Target(bound, true, false, EnumSet.allOf(Carrier.class));
    }

    /** @return a target the figure must reach, in both carrier modes */
    static Target atLeast(double bound) {
        return new Target(bound, false, false, EnumSet.allOf(Carrier.class));
    }

    /**
     * @return a target the figure must stay strictly below CPython's figure of the same row in the same
     *     run (lower is better), in both carrier modes; without a CPython figure there is no verdict
     */
    static Target belowCPython() {
        return new Target(Double.NaN, true, true, EnumSet.allOf(Carrier.class));
    }

    /**
     * @param lowerIsBetter whether smaller figures are better (times) or larger ones (throughput)
     * @return no target: the row is shown for information (e.g. a bridge next to its plain baseline),
     *     its target cell says "—" and it has no verdict
     */
    static Target none(boolean lowerIsBetter) {
        return new Target(Double.NaN, lowerIsBetter, false, EnumSet.allOf(Carrier.class));
    }

    /**
     * @param first a carrier mode the target applies to
     * @param more further modes
     * @return this target, applying to the given modes only (the others get no verdict)
     * @throws IllegalStateException for {@link #none}: there is nothing to limit
     */
    Target in(Carrier first, Carrier... more) {
        if (!exists()) {
            throw new IllegalStateException("no target to limit to a carrier mode");
        }
        return new Target(bound, lowerIsBetter, relativeToCPython, EnumSet.of(first, more));
    }

    /** @return whether there is a bound to meet (false for {@link #none}) */
    boolean exists() {
        return relativeToCPython || !Double.isNaN(bound);
    }

    /** @return whether the target judges the figures of {@code carrier} */
    boolean appliesTo(Carrier carrier) {
        return exists() && modes.contains(carrier);
    }

    /**
     * Judges one Java figure.
     *
     * @param carrier the mode the figure was measured in
     * @param ours the Java figure
     * @param cpython CPython's figure of the same row and run (used by a relative target only)
     * @return {@link Verdict#NONE} when there is no target, it does not apply to {@code carrier}, or a
     *     figure it needs is missing; else whether {@code ours} meets it
     */
    Verdict judge(Carrier carrier, Cell ours, Cell cpython) {
        if (!appliesTo(carrier) || !ours.hasValue() || relativeToCPython && !cpython.hasValue()) {
            return Verdict.NONE;
        }
        boolean met = relativeToCPython ? ours.value() < cpython.value()
                : lowerIsBetter ? ours.value() <= bound : ours.value() >= bound;
        return met ? Verdict.PASS : Verdict.MISS;
    }

    /**
     * @param unit the workload's unit
     * @return e.g. {@code ≤ 200 ns/op}, {@code ≤ 1.25×}, {@code < CPython}, with {@code (loop-carrier only)}
     *     when the target does not apply to every mode; {@code —} when there is no target
     */
    String describe(String unit) {
        if (!exists()) {
            return "—";
        }
        String limit;
        if (relativeToCPython) {
            limit = "< CPython";
        } else {
            String number = bound == Math.rint(bound)
                    ? String.format(Locale.ROOT, "%,.0f", bound)
                    : java.math.BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
            limit = (lowerIsBetter ? "≤ " : "≥ ") + number + (unit.equals("×") ? "×" : " " + unit);
        }
        if (modes.size() == Carrier.values().length) {
            return limit;
        }
        return limit + " (" + EnumSet.copyOf(modes).stream().map(c -> c.mode).collect(Collectors.joining(", ")) + " only)";
    }

    @Override
    public String toString() {
        if (!exists()) {
            return "none (" + (lowerIsBetter ? "lower" : "higher") + " is better)";
        }
        String limit = relativeToCPython ? "< CPython" : String.format(Locale.ROOT, "%s %s", lowerIsBetter ? "<=" : ">=", bound);
        return limit + " in " + EnumSet.copyOf(modes);
    }
}
