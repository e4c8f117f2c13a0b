package dev.asyncio.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The side-by-side comparison: runs every workload of {@link Workloads#ALL} in Java (JMH, forked and
 * warmed up, in both carrier modes) and in CPython asyncio and uvloop (the programs in
 * {@code benchmarks/python/}), in the same run, and prints one table.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.asyncio.benchmarks.Compare [options]
 *   --quick              tiny counts, 1 fork, 1 warm-up + 2 measured rounds: seconds, a smoke test
 *   --in-process         run JMH inside this JVM (forks 0); the carrier mode is switched by property
 *   --forks N            JMH forks per workload and mode in a full run (default: each benchmark's @Fork)
 *   --only a,b           only these workloads (names: switch, pingpong, spawn_gather_100k, ...); a
 *                        quotient row (e.g. mono_vs_baseline) also measures the two rows it divides
 *   --python PY          interpreter for stock asyncio (default: python3 on the PATH)
 *   --uvloop-python PY   interpreter to try first for uvloop
 *   --no-python          Java only
 *   --python-dir DIR     where the Python programs are (default: found from this jar)
 *   --note TEXT          a line for the results header (e.g. how loaded the machine was)
 *   --load N             run N busy threads (a separate process) beside every workload
 *   --out FILE           also write the results, with their header, as Markdown to FILE: the run's
 *                        section (quiet, or loaded with N threads) replaces the same section of an
 *                        existing FILE; its other sections and hand-written parts are kept
 * </pre>
 * Prints the table on standard output and progress on standard error. Exits 1 if a Java figure could
 * not be measured (its cell says why), 2 on bad arguments; missing Python interpreters are not errors.
 * Runs on the calling thread.
 */
public final class Compare {

    /**
     * How a run measures.
     *
     * @param quick tiny counts and few rounds
     * @param inProcess JMH runs in this JVM ({@code forks(0)})
     * @param forks JMH forks per workload and mode; 0 keeps the benchmarks' annotations
     * @param logDir where JMH's full reports go
     * @param load busy threads beside every workload ({@link BusyLoad}); 0 for a quiet run
     */
    record Settings(boolean quick, boolean inProcess, int forks, Path logDir, int load) {
    }

    private final Settings settings;
    private final List<Workload> workloads;
    private final List<PythonSide.Column> pythonColumns;
    private final Path pythonDir;
    private final List<String> notes;
    private final PrintStream progress;

    private Compare(Settings settings, List<Workload> workloads, List<PythonSide.Column> pythonColumns, Path pythonDir,
                    List<String> notes, PrintStream progress) {
        this.settings = settings;
        this.workloads = workloads;
        this.pythonColumns = pythonColumns;
        this.pythonDir = pythonDir;
        this.notes = notes;
        this.progress = progress;
    }

    /**
     * Runs the comparison as the command line says.
     *
     * @param args see the class documentation
     */
    public static void main(String[] args) {
        Report report;
        Path out;
        try {
            Arguments a = Arguments.parse(args);
            if (a.help) {
                System.out.println(usage());
                return;
            }
            out = a.out;
            report = run(a, System.err);
        } catch (IllegalArgumentException e) {
            System.err.println("Compare: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        String table = ResultsTable.render(report);
        System.out.println(String.join("\n", report.environment()));
        System.out.println();
        System.out.print(table);
        if (out != null) {
            try {
                String existing = Files.isRegularFile(out) ? Files.readString(out) : null;
                Files.writeString(out, ResultsDocument.merge(existing, report.settings().load(), markdown(report, table)));
                System.err.println("Compare: results written to " + out + " (section: "
                        + ResultsDocument.heading(report.settings().load()).substring(3) + ")");
            } catch (IOException e) {
                System.err.println("Compare: cannot write " + out + ": " + e);
                System.exit(1);
            }
        }
        if (!report.javaComplete()) {
            System.err.println("Compare: some Java figures are missing; see the notes under the table");
            System.exit(1);
        }
    }

    /**
     * Runs the comparison.
     *
     * @param args command-line arguments as {@link #main} takes them
     * @param progress where to report progress, one line per measurement
     * @return the results
     * @throws IllegalArgumentException if the arguments are wrong
     */
    static Report run(String[] args, PrintStream progress) {
        return run(Arguments.parse(args), progress);
    }

    private static Report run(Arguments a, PrintStream progress) {
        Path benchmarksDir = a.pythonDir != null ? a.pythonDir.toAbsolutePath().getParent() : benchmarksDir();
        Path pythonDir = a.pythonDir != null ? a.pythonDir : benchmarksDir.resolve("python");
        Settings settings = new Settings(a.quick, a.inProcess, a.forks, benchmarksDir.resolve("target").resolve("compare-logs"),
                a.load);
        List<PythonSide.Column> columns = a.noPython
                ? List.of(new PythonSide.Column("CPython", null, false, "Python not run (--no-python)"),
                          new PythonSide.Column("uvloop", null, true, "Python not run (--no-python)"))
                : PythonSide.detect(a.python, a.uvloopPython);
        if (!a.noPython && !Files.isRegularFile(pythonDir.resolve("common.py"))) {
            String why = "Python programs not found in " + pythonDir + " (give --python-dir)";
            columns = columns.stream().map(c -> new PythonSide.Column(c.label(), null, c.uvloop(), why)).toList();
        }
        List<Workload> chosen = a.only.isEmpty() ? Workloads.ALL : choose(Workloads.ALL, a.only, progress);
        return new Compare(settings, chosen, columns, pythonDir, a.notes, progress).run();
    }

    /**
     * The rows {@code --only} names, plus the inputs of every {@link Quotient} among them (a quotient is
     * computed from its inputs' figures of the same run, so they are measured too; {@code progress} says so).
     *
     * @param all every row, in table order
     * @param only the names given
     * @param progress where to say which rows were added
     * @return the chosen rows, in table order
     * @throws IllegalArgumentException if a name is not a row's
     */
    static List<Workload> choose(List<Workload> all, Set<String> only, PrintStream progress) {
        Set<String> known = all.stream().map(Workload::name).collect(Collectors.toCollection(LinkedHashSet::new));
        for (String name : only) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown workload '" + name + "'; known: " + String.join(", ", known));
            }
        }
        Set<String> wanted = new LinkedHashSet<>(only);
        for (Workload w : all) {
            if (only.contains(w.name()) && w.java() instanceof Quotient q) {
                List<String> added = q.inputs().stream().map(Workload::name).filter(wanted::add).toList();
                if (!added.isEmpty()) {
                    progress.println("Compare: " + w.name() + " is computed from " + q.numerator().name() + " and "
                            + q.denominator().name() + " of the same run: also measuring " + String.join(", ", added));
                }
            }
        }
        return all.stream().filter(w -> wanted.contains(w.name())).toList();
    }

    private Report run() {
        Instant start = Instant.now();
        String loadAtStart = Machine.loadAverage();
        Map<String, Report.Row> measured = new HashMap<>(); // by row name
        for (Workload w : workloads) {
            if (w.java() instanceof Workload.JavaMeasurement m) {
                try (BusyLoad load = startLoad(w)) {
                    measured.put(w.name(), measure(w, m));
                }
            }
        }
        List<Report.Row> rows = new ArrayList<>();
        for (Workload w : workloads) {
            rows.add(w.java() instanceof Quotient q ? derive(w, q, measured) : measured.get(w.name()));
        }
        Duration took = Duration.between(start, Instant.now());
        List<String> environment = new ArrayList<>();
        environment.add("Date: " + start.truncatedTo(ChronoUnit.SECONDS) + " (took " + took.toSeconds() + " s)");
        environment.add("Run: " + (settings.quick() ? "QUICK (tiny counts, smoke test only: figures mean nothing)" : "full")
                + (settings.inProcess() ? ", JMH in-process" : ", JMH forked")
                + (settings.forks() > 0 ? ", " + settings.forks() + " forks" : ""));
        environment.add("Machine: " + Machine.describe());
        environment.add("Load average (1/5/15 min): " + loadAtStart + " at start, " + Machine.loadAverage() + " at end");
        environment.add("Load: " + (settings.load() == 0 ? "none (quiet run: nothing started beside the workloads)"
                : settings.load() + " busy threads: CPU-burning platform threads in a separate JVM, started before and "
                + "stopped after each workload, beside its Java and its Python measurements alike"));
        environment.add("JDK: " + Machine.jdk());
        pythonColumns.forEach(c -> environment.add("Python: " + c.describe()));
        notes.forEach(n -> environment.add("Note: " + n));
        return new Report(settings, pythonColumns, rows, environment);
    }

    /** Measures one workload: each Python column, then Java in each carrier mode it has a figure in. */
    private Report.Row measure(Workload w, Workload.JavaMeasurement measurement) {
        List<Cell> python = new ArrayList<>();
        for (PythonSide.Column column : pythonColumns) {
            if (w.python() == null) {
                python.add(Cell.missing(w.noPythonReason()));
                continue;
            }
            long t0 = System.nanoTime();
            Cell cell = PythonSide.run(column, pythonDir, w.python(), settings.quick());
            report(w, column.label(), cell, t0);
            python.add(cell);
        }
        Map<Carrier, Cell> java = new EnumMap<>(Carrier.class);
        for (Carrier carrier : Carrier.values()) {
            long t0 = System.nanoTime();
            Cell cell;
            String unavailable = measurement.unavailableIn(carrier);
            if (unavailable != null) {
                cell = Cell.missing(unavailable);
            } else {
                try {
                    cell = Cell.of(measurement.measure(carrier, settings));
                } catch (Exception | LinkageError e) {
                    cell = Cell.missing(measurement.describe() + " in " + carrier.label + " failed: " + e
                            + " (logs in " + settings.logDir() + ")");
                }
            }
            report(w, carrier.label, cell, t0);
            java.put(carrier, cell);
        }
        return new Report.Row(w, java, python);
    }

    /** Computes a quotient row from its inputs' rows of this run; nothing is measured. */
    private Report.Row derive(Workload w, Quotient q, Map<String, Report.Row> measured) {
        Map<Carrier, Cell> java = new EnumMap<>(Carrier.class);
        for (Carrier carrier : Carrier.values()) {
            long t0 = System.nanoTime();
            Cell cell = q.of(carrier, javaCell(measured.get(q.numerator().name()), carrier),
                    javaCell(measured.get(q.denominator().name()), carrier));
            report(w, carrier.label, cell, t0);
            java.put(carrier, cell);
        }
        List<Cell> python = pythonColumns.stream().map(c -> Cell.missing(w.noPythonReason())).toList();
        return new Report.Row(w, java, python);
    }

    /** An input row's figure, or why there is none (the row was not chosen: {@link #choose} prevents that). */
    private static Cell javaCell(Report.Row row, Carrier carrier) {
        return row == null ? Cell.missing("not measured in this run") : row.java().get(carrier);
    }

    /**
     * Starts the busy threads of a loaded run before a workload ({@code null} in a quiet run). A load
     * that cannot start fails the run: figures taken without it would be reported as loaded.
     */
    private BusyLoad startLoad(Workload w) {
        if (settings.load() == 0) {
            return null;
        }
        try {
            return BusyLoad.start(settings.load());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the " + settings.load() + " busy threads for " + w.name(), e);
        }
    }

    private void report(Workload w, String column, Cell cell, long startNanos) {
        progress.printf(Locale.ROOT, "Compare: %-20s %-40s %s (%.1f s)%n", w.name(), column,
                cell.hasValue() ? Figures.format(cell.value(), w.unit()) + " " + w.unit() : "n/a: " + cell.message(),
                (System.nanoTime() - startNanos) / 1e9);
        progress.flush();
    }

    /**
     * One run's part of the results document ({@link ResultsDocument} adds its heading): header, table,
     * and how each figure was measured.
     */
    static String markdown(Report report, String table) {
        StringBuilder sb = new StringBuilder();
        for (String line : report.environment()) {
            sb.append("- ").append(line).append('\n');
        }
        sb.append('\n').append(table).append('\n');
        sb.append("""
                Figures: lower is better except rt/s. "ours vs X" is how many times better the Java figure is than
                X's (X's time / ours, or ours / X's for throughput; above 1 = ours is better), first for the
                portable mode, then for the loop-carrier mode. "met" compares each Java mode with the target
                (docs/design.md §9, issue 24); a target marked "(loop-carrier only)" or "(portable only)" judges
                that mode alone, and "< CPython" asks for less than the CPython figure of the same row and run
                ("—": no target, not this mode's, or a figure it needs is missing). Rows in × are not measured:
                each is one row's figure divided by another's of this run, per mode (e.g. mono ÷ mono_baseline).
                Java figures are the median of all measured JMH rounds of all forks (one round = one
                run of the workload on a fresh loop, as one round of the Python program); Python figures are the
                median of the program's rounds (memory: median of 3 processes of one round each).

                How each Java figure is measured:
                """);
        for (Report.Row row : report.rows()) {
            sb.append("- `").append(row.workload().name()).append("`: ").append(row.workload().java().describe());
            if (row.workload().python() != null) {
                sb.append("; Python: `").append(row.workload().python().script());
                row.workload().python().args().forEach(arg -> sb.append(' ').append(arg));
                sb.append('`');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** @return the median of {@code values} (mean of the middle two for an even count) */
    static double median(Collection<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * {@code benchmarks/}, found from where this class was loaded: {@code benchmarks/target/benchmarks.jar}
     * or {@code benchmarks/target/classes}; else {@code ./benchmarks}.
     */
    private static Path benchmarksDir() {
        try {
            Path location = Path.of(Compare.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = location.getParent();
            if (target != null && target.getFileName() != null && target.getFileName().toString().equals("target")
                    && target.getParent() != null && Files.isDirectory(target.getParent().resolve("python"))) {
                return target.getParent();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the working directory
        }
        return Path.of("benchmarks").toAbsolutePath();
    }

    private static String usage() {
        return """
                usage: java -cp benchmarks/target/benchmarks.jar dev.asyncio.benchmarks.Compare [options]
                  --quick              tiny counts, 1 fork, few rounds (a smoke test, seconds)
                  --in-process         run JMH inside this JVM (forks 0)
                  --forks N            JMH forks per workload and mode (default: each benchmark's @Fork)
                  --only a,b           only these workloads: %s
                                       (a quotient row, such as mono_vs_baseline, also measures the two rows it divides)
                  --python PY          interpreter for stock asyncio (default: python3 on the PATH)
                  --uvloop-python PY   interpreter to try first for uvloop
                  --no-python          Java only
                  --python-dir DIR     where the Python programs are (default: benchmarks/python)
                  --note TEXT          a line for the results header
                  --load N             run N busy threads (a separate process) beside every workload
                  --out FILE           also write the results as Markdown to FILE (replaces that file's section
                                       of the same load, quiet or N busy threads; keeps the rest of it)"""
                .formatted(Workloads.ALL.stream().map(Workload::name).collect(Collectors.joining(",")));
    }

    /** The parsed command line. */
    private static final class Arguments {
        boolean quick;
        boolean inProcess;
        boolean noPython;
        boolean help;
        int forks;
        int load;
        Set<String> only = new LinkedHashSet<>();
        String python;
        String uvloopPython;
        Path pythonDir;
        Path out;
        List<String> notes = new ArrayList<>();

        static Arguments parse(String[] args) {
            Arguments a = new Arguments();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--quick" -> a.quick = true;
                    case "--in-process" -> a.inProcess = true;
                    case "--no-python" -> a.noPython = true;
                    case "-h", "--help" -> a.help = true;
                    case "--forks" -> a.forks = number(args, ++i, arg, 1, "(use --in-process for none)");
                    case "--load" -> a.load = number(args, ++i, arg, 0, "(0: quiet)");
                    case "--only" -> a.only.addAll(Arrays.stream(value(args, ++i, arg).split(","))
                            .map(String::strip).filter(s -> !s.isEmpty()).toList());
                    case "--python" -> a.python = value(args, ++i, arg);
                    case "--uvloop-python" -> a.uvloopPython = value(args, ++i, arg);
                    case "--python-dir" -> a.pythonDir = Path.of(value(args, ++i, arg));
                    case "--note" -> a.notes.add(value(args, ++i, arg));
                    case "--out" -> a.out = Path.of(value(args, ++i, arg));
                    default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
                }
            }
            return a;
        }

        private static int number(String[] args, int i, String option, int min, String hint) {
            String v = value(args, i, option);
            int n;
            try {
                n = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number, got '" + v + "'");
            }
            if (n < min) {
                throw new IllegalArgumentException(option + " must be at least " + min + " " + hint + ", got " + n);
            }
            return n;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }
}
