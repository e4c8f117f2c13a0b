package dev.asyncio.benchmarks;

import java.util.List;
import java.util.Objects;

/**
 * One row of the comparison: a workload of docs/design.md §9, how the Java figure is measured, which
 * program in {@code benchmarks/python/} measures the same thing, and the target.
 *
 * @param name the key of the row; equals the Python program's {@code "workload"} field where there is one
 * @param title what the row is called in the table
 * @param unit the unit of every figure in the row: {@code ns/op}, {@code s}, {@code B/task}, {@code rt/s}, or
 *     {@code ×} for a {@link Quotient}
 * @param target the target for the Java figure (docs/design.md §9, issue 24)
 * @param java how the Java figures are obtained: measured, or the {@link Quotient} of two other rows
 * @param python the Python program, or {@code null} when CPython has no counterpart
 * @param noPythonReason why there is no Python program (shown in the table), when {@code python} is null
 */
record Workload(String name, String title, String unit, Target target, JavaFigures java,
                PythonProgram python, String noPythonReason) {

    Workload {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(java, "java");
        if (python == null && noPythonReason == null) {
            throw new IllegalArgumentException(name + ": give a Python program or say why there is none");
        }
    }

    /** A workload compared with a Python program. */
    static Workload of(String name, String title, String unit, Target target, JavaFigures java, PythonProgram python) {
        return new Workload(name, title, unit, target, java, python, null);
    }

    /** A workload CPython cannot run; {@code reason} is shown in its Python cells. */
    static Workload javaOnly(String name, String title, String unit, Target target, JavaFigures java, String reason) {
        return new Workload(name, title, unit, target, java, null, reason);
    }

    /**
     * How many times better the Java figure is than {@code other}: above 1 means ours is faster
     * (smaller, or higher throughput).
     */
    double timesBetter(double ours, double other) {
        return target.lowerIsBetter() ? other / ours : ours / other;
    }

    /**
     * Where a row's Java figures come from: a measurement of its own ({@link JavaMeasurement}), or the
     * quotient of two measured rows of the same run ({@link Quotient}).
     */
    sealed interface JavaFigures permits JavaMeasurement, Quotient {
        /** @return what gives the figures, for the results' notes (e.g. the JMH benchmark's name) */
        String describe();

        /**
         * @param carrier a carrier mode
         * @return {@code null} when the row has a figure in {@code carrier}, else why it has none by design
         *     (shown in the table's note for that cell); such a cell is not a failed measurement
         */
        default String unavailableIn(Carrier carrier) {
            return null;
        }
    }

    /** Measures the Java figure of a workload in one carrier mode. */
    non-sealed interface JavaMeasurement extends JavaFigures {
        /**
         * @param carrier the carrier mode to measure in
         * @param settings quick or full run, forked or in-process
         * @return the figure, in the workload's unit
         * @throws Exception if the measurement failed; the table shows the message in the cell
         */
        double measure(Carrier carrier, Compare.Settings settings) throws Exception;
    }

    /**
     * A program in {@code benchmarks/python/} that prints one JSON line with a {@code "value"}.
     *
     * @param script file name in {@code benchmarks/python/}
     * @param args extra arguments (e.g. {@code --n 1000000})
     * @param processes how many fresh processes a full run takes the median of (1 unless one process
     *     gives only one round, as {@code memory.py})
     */
    record PythonProgram(String script, List<String> args, int processes) {
        PythonProgram {
            args = List.copyOf(args);
        }

        /** A program run once, with its own three rounds. */
        static PythonProgram of(String script, String... args) {
            return new PythonProgram(script, List.of(args), 1);
        }
    }
}
