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

    /**
     * @return whether every Java figure was measured, in each mode where its row has one (Python cells may
     *     legitimately be missing, and so may a mode a row has no figure in by design, such as
     *     {@code raw_handoff}'s loop-carrier cell)
     */
    boolean javaComplete() {
        return rows.stream().allMatch(r -> r.java().entrySet().stream()
                .allMatch(e -> e.getValue().hasValue() || r.workload().java().unavailableIn(e.getKey()) != null));
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
