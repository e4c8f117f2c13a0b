package dev.asyncio.benchmarks;

import java.util.List;
import java.util.Map;

/**
 * Everything one comparison run produced: per workload, the Java figure in each carrier mode and the
 * figure of each Python column, plus what it ran on.
 *
 * @param settings quick or full, forked or in-process
 * @param pythonColumns the Python columns, in table order
 * @param rows one row per workload, in table order
 * @param environment header lines ("Date: ...", "JDK: ...")
 */
record Report(Compare.Settings settings, List<PythonSide.Column> pythonColumns, List<Row> rows, List<String> environment) {

    /**
     * The figures of one workload.
     *
     * @param workload the workload
     * @param java the Java figure per carrier mode
     * @param python the figure per Python column, in {@link #pythonColumns()} order
     */
    record Row(Workload workload, Map<Carrier, Cell> java, List<Cell> python) {
    }

    /** @return whether every Java figure was measured (Python cells may legitimately be missing) */
    boolean javaComplete() {
        return rows.stream().allMatch(r -> r.java().values().stream().allMatch(Cell::hasValue));
    }

    /** @return the index of the stock CPython column in {@link #pythonColumns()} (the one without uvloop), or -1 */
    int cpythonColumn() {
        for (int i = 0; i < pythonColumns.size(); i++) {
            if (!pythonColumns.get(i).uvloop()) {
                return i;
            }
        }
        return -1;
    }
}
