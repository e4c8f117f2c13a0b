package dev.asyncio.benchmarks;

import java.util.Locale;

/**
 * A performance target of DESIGN.md §9: a bound on one workload's figure.
 *
 * @param bound the limit, in the workload's unit
 * @param lowerIsBetter whether the figure must stay at or below {@code bound} (times, bytes) rather than
 *     reach at least it (throughput)
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

    /** @return whether {@code value} meets the target */
    boolean isMetBy(double value) {
        return lowerIsBetter ? value <= bound : value >= bound;
    }

    /** @return e.g. {@code ≤ 200 ns/op} */
    String describe(String unit) {
        String number = bound == Math.rint(bound)
                ? String.format(Locale.ROOT, "%,.0f", bound)
                : java.math.BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
        return (lowerIsBetter ? "≤ " : "≥ ") + number + " " + unit;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s", lowerIsBetter ? "<=" : ">=", bound);
    }
}
