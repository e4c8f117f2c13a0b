package dev.asyncio.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The Java figure of a workload measured by one JMH benchmark method, run programmatically.
 *
 * <p>A full run uses the benchmark's own annotations (warm-up and measurement iterations, single-shot
 * rounds) with {@code forks} fresh JVMs per carrier mode; the JVM arguments are set explicitly
 * ({@link #HEAP} plus {@link Carrier#jvmArgs()}), so that the forks never inherit the flags of the JVM
 * running the comparison. A quick run shrinks the counts through JMH parameters and sets the operations
 * per invocation to match, with one warm-up and two measured rounds. In-process ({@code forks(0)}, for
 * the build's smoke test) the carrier mode is chosen by setting {@code dev.asyncio.carrier} in this JVM
 * for the duration of the run.
 *
 * <p>The figure is the median of all measured rounds of all forks, as the Python side reports the median
 * of its rounds. For a throughput row ({@link #perSecond()}) each round's time per operation is first
 * turned into operations per second, as the Python side converts each round. JMH's full report goes to
 * a log file per workload and mode.
 */
final class JmhBenchmark implements Workload.JavaMeasurement {
    /** Heap of every measured JVM: large enough for a million tasks, the same in both modes. */
    static final List<String> HEAP = List.of("-Xms1g", "-Xmx4g");

    private final Class<?> benchmark;
    private final String method;
    private final String scoreUnit;
    private final Map<String, String> params = new LinkedHashMap<>();
    private final Map<String, String> quickParams = new LinkedHashMap<>();
    private int quickOperations;
    private boolean perSecond;
    private Carrier onlyMode;
    private String otherModesReason;
    private final Map<Carrier, List<String>> modeJvmArgs = new java.util.EnumMap<>(Carrier.class);

    private JmhBenchmark(Class<?> benchmark, String method, String scoreUnit) {
        this.benchmark = benchmark;
        this.method = method;
        this.scoreUnit = scoreUnit;
    }

    /**
     * @param benchmark the class holding the {@code @Benchmark} method
     * @param method the method's name
     * @param scoreUnit the unit JMH reports it in: {@code ns/op} or {@code s/op}
     */
    static JmhBenchmark of(Class<?> benchmark, String method, String scoreUnit) {
        return new JmhBenchmark(benchmark, method, scoreUnit);
    }

    /**
     * Fixes a JMH parameter in every run, full or quick, e.g. one of two rows measured by the same
     * method with different parameters.
     *
     * @param name the {@code @Param} field
     * @param value its value
     * @return this
     */
    JmhBenchmark param(String name, String value) {
        params.put(name, value);
        return this;
    }

    /**
     * Sets the counts of a quick run.
     *
     * @param operationsPerInvocation what {@code @OperationsPerInvocation} becomes with the quick
     *     parameters, or 0 if the method has none
     * @param params JMH parameter names and values, alternating
     * @return this
     */
    JmhBenchmark quick(int operationsPerInvocation, String... params) {
        if (params.length % 2 != 0) {
            throw new IllegalArgumentException("params must be name/value pairs: " + List.of(params));
        }
        for (int i = 0; i < params.length; i += 2) {
            quickParams.put(params[i], params[i + 1]);
        }
        quickOperations = operationsPerInvocation;
        return this;
    }

    /**
     * Reports operations per second (e.g. round trips/s) instead of JMH's time per operation: each
     * measured round's score is inverted before the median is taken. The score unit must be
     * {@code ns/op} or {@code s/op}.
     *
     * @return this
     */
    JmhBenchmark perSecond() {
        if (!scoreUnit.equals("ns/op") && !scoreUnit.equals("s/op")) {
            throw new IllegalArgumentException("perSecond() needs a time per operation, not " + scoreUnit);
        }
        perSecond = true;
        return this;
    }

    /**
     * Measures in one carrier mode only, for a benchmark the other mode cannot change (e.g. one with no
     * loop); the other mode's cell shows {@code why}.
     *
     * @param carrier the mode to measure in
     * @param why why the other mode has no figure
     * @return this
     */
    JmhBenchmark onlyIn(Carrier carrier, String why) {
        onlyMode = carrier;
        otherModesReason = why;
        return this;
    }

    /**
     * Adds JVM arguments to the forks of one carrier mode: for a floor row whose JDK-only program stands for
     * what that mode runs on (one carrier in loop-carrier mode). Not applied in-process: a scheduler setting
     * is fixed when the JVM starts.
     *
     * @param carrier the mode
     * @param args the arguments, appended after the mode's own
     * @return this
     */
    JmhBenchmark jvmArgsIn(Carrier carrier, String... args) {
        modeJvmArgs.put(carrier, List.of(args));
        return this;
    }

    @Override
    public String unavailableIn(Carrier carrier) {
        return onlyMode == null || onlyMode == carrier ? null : otherModesReason;
    }

    /** @return the JVM arguments of a fork measured in {@code carrier}'s mode, after {@link #HEAP} */
    List<String> forkArgs(Carrier carrier) {
        List<String> args = new ArrayList<>(carrier.jvmArgs());
        args.addAll(modeJvmArgs.getOrDefault(carrier, List.of()));
        return args;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder(benchmark.getSimpleName()).append('.').append(method);
        params.forEach((name, value) -> sb.append(sb.indexOf("(") < 0 ? " (" : ", ").append(name).append('=').append(value));
        if (!params.isEmpty()) {
            sb.append(')');
        }
        modeJvmArgs.forEach((mode, args) -> sb.append(", ").append(mode.mode).append(": ").append(String.join(" ", args)));
        return onlyMode == null ? sb.toString() : sb.append(", ").append(onlyMode.mode).append(" mode only").toString();
    }

    @Override
    public double measure(Carrier carrier, Compare.Settings settings) throws Exception {
        if (unavailableIn(carrier) != null) {
            throw new IllegalStateException(describe() + " is not measured in " + carrier.mode + " mode: " + unavailableIn(carrier));
        }
        Files.createDirectories(settings.logDir());
        StringBuilder logName = new StringBuilder(benchmark.getSimpleName()).append('.').append(method);
        params.forEach((name, value) -> logName.append('-').append(name).append(value));
        String log = settings.logDir().resolve(logName + "-" + carrier.property + ".log").toString();
        Files.deleteIfExists(Path.of(log)); // JMH appends to an existing file
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark.getName() + "." + method) + "$")
                .shouldFailOnError(true)
                .shouldDoGC(!settings.quick()) // a forced GC between rounds costs more than a quick round
                .verbosity(VerboseMode.NORMAL)
                .output(log)
                .jvmArgs(HEAP.toArray(String[]::new))
                .jvmArgsAppend(forkArgs(carrier).toArray(String[]::new));
        params.forEach(options::param);
        if (settings.quick()) {
            options.warmupIterations(1).measurementIterations(2).forks(1);
            quickParams.forEach(options::param);
            if (quickOperations > 0) {
                options.operationsPerInvocation(quickOperations);
            }
        }
        if (settings.forks() > 0) {
            options.forks(settings.forks());
        }
        Collection<RunResult> results;
        if (settings.inProcess()) {
            options.forks(0);
            String before = System.getProperty("dev.asyncio.carrier");
            System.setProperty("dev.asyncio.carrier", carrier.property);
            try {
                results = new Runner(options.build()).run();
            } finally {
                if (before == null) {
                    System.clearProperty("dev.asyncio.carrier");
                } else {
                    System.setProperty("dev.asyncio.carrier", before);
                }
            }
        } else {
            results = new Runner(options.build()).run();
        }
        List<RunResult> all = new ArrayList<>(results);
        if (all.size() != 1) {
            throw new IllegalStateException(describe() + ": expected one JMH result, got " + all.size() + " (see " + log + ")");
        }
        Result<?> primary = all.get(0).getPrimaryResult();
        if (!primary.getScoreUnit().equals(scoreUnit)) {
            throw new IllegalStateException(describe() + " reports " + primary.getScoreUnit() + ", expected " + scoreUnit);
        }
        if (!perSecond) {
            return primary.getStatistics().getPercentile(50.0);
        }
        double secondsPerScoreUnit = scoreUnit.equals("ns/op") ? 1e-9 : 1;
        List<Double> rates = new ArrayList<>();
        for (var it = primary.getStatistics().getRawData(); it.hasNext(); ) {
            Map.Entry<Double, Long> round = it.next(); // a score and how many rounds had it
            for (long i = 0; i < round.getValue(); i++) {
                rates.add(1 / (round.getKey() * secondsPerScoreUnit));
            }
        }
        return Compare.median(rates);
    }
}
