package dev.asyncio.benchmarks;

/**
 * One figure of the results table, or the reason there is none (python3 missing, a failed run, no
 * counterpart).
 *
 * @param value the figure, NaN when there is none
 * @param message why there is no figure, {@code null} when there is one
 */
record Cell(double value, String message) {

    /** @return a cell holding {@code value} */
    static Cell of(double value) {
        return new Cell(value, null);
    }

    /** @return a cell holding no figure, saying why */
    static Cell missing(String why) {
        return new Cell(Double.NaN, why);
    }

    /** @return whether the cell holds a figure */
    boolean hasValue() {
        return message == null;
    }
}
