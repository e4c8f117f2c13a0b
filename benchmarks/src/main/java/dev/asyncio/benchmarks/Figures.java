package dev.asyncio.benchmarks;

import java.util.Locale;

/** How the results table writes numbers: precision chosen by the unit, thousands separated. */
final class Figures {
    private Figures() {
    }

    /**
     * @param value a figure
     * @param unit its unit ({@code ns/op}, {@code s}, {@code B/task}, {@code rt/s})
     * @return the figure with as many digits as the unit deserves
     */
    static String format(double value, String unit) {
        if (Double.isNaN(value)) {
            return "?";
        }
        if (unit.equals("s")) {
            return value < 10 ? String.format(Locale.ROOT, "%.3f", value) : String.format(Locale.ROOT, "%.2f", value);
        }
        if (Math.abs(value) < 10) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        if (Math.abs(value) < 100) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    /**
     * @param times how many times faster (or smaller) ours is
     * @return e.g. {@code 9.8×}
     */
    static String ratio(double times) {
        if (Double.isNaN(times) || Double.isInfinite(times)) {
            return "—";
        }
        return (times < 10 ? String.format(Locale.ROOT, "%.2f", times) : String.format(Locale.ROOT, "%.1f", times)) + "×";
    }
}
