package dev.asyncio.benchmarks;

import java.util.Locale;

/**
 * A performance target of docs/design.md §9: a bound on one workload's figure.
 *
 * @param bound the limit, in the workload's unit; NaN for a row docs/design.md §9 gives no target (see {@link #none})
 * @param lowerIsBetter whether the figure must stay at or below {@code bound} (times, bytes) rather than
 *     reach at least it (throughput); also the direction of the table's "how many times better" ratios
 */
record Target(double bound, boolean lowerIsBetter) {

    /** @return a target the figure must not exceed */
    static Target atMost(double bound) {
        return new Target(bound, true);
    }

    /** @return a target the figure must reach */
    static Target atLeast(double bound) {
        return new Target(bound, false);
    }

    /**
     * @param lowerIsBetter whether smaller figures are better (times) or larger ones (throughput)
     * @return no target: the row is shown for information (e.g. a bridge next to its plain baseline),
     *     its target cell says "—" and it has no verdict
     */
    static Target none(boolean lowerIsBetter) {
        return new Target(Double.NaN, lowerIsBetter);
    }

    /** @return whether there is a bound to meet (false for {@link #none}) */
    boolean exists() {
        return !Double.isNaN(bound);
    }

    /**
     * @return whether {@code value} meets the target
     * @throws IllegalStateException for {@link #none}: there is nothing to meet
     */
    boolean isMetBy(double value) {
        if (!exists()) {
            throw new IllegalStateException("no target to meet");
        }
        return lowerIsBetter ? value <= bound : value >= bound;
    }

    /** @return e.g. {@code ≤ 200 ns/op}, or {@code —} when there is no target */
    String describe(String unit) {
        if (!exists()) {
            return "—";
        }
        String number = bound == Math.rint(bound)
                ? String.format(Locale.ROOT, "%,.0f", bound)
                : java.math.BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
        return (lowerIsBetter ? "≤ " : "≥ ") + number + " " + unit;
    }

    @Override
    public String toString() {
        return exists() ? String.format(Locale.ROOT, "%s %s", lowerIsBetter ? "<=" : ">=", bound)
                : "none (" + (lowerIsBetter ? "lower" : "higher") + " is better)";
    }
}
