package dev.asyncio.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The CPython side of the comparison: finds the interpreters, runs the programs in
 * {@code benchmarks/python/} in fresh processes and reads their one-line JSON results.
 *
 * <p>Two columns: stock asyncio on {@code python3} from the {@code PATH} (or {@code --python}), and
 * uvloop on the first interpreter that can {@code import uvloop} among {@code --uvloop-python}, that
 * {@code python3}, {@code /usr/bin/python3} and {@code /usr/local/bin/python3} (Debian's
 * {@code python3-uvloop} works only with {@code /usr/bin/python3}). A missing interpreter or module
 * becomes a column whose cells say so; nothing here throws for that.
 */
final class PythonSide {
    private static final List<String> UVLOOP_CANDIDATES = List.of("/usr/bin/python3", "/usr/local/bin/python3");

    /**
     * One Python column.
     *
     * @param label column heading, e.g. {@code CPython 3.11.7}
     * @param interpreter the interpreter, or {@code null} when the column is unavailable
     * @param uvloop whether the programs run with {@code --uvloop}
     * @param unavailable why the column has no figures, or {@code null}
     */
    record Column(String label, Path interpreter, boolean uvloop, String unavailable) {
        /** @return a one-line description for the results header */
        String describe() {
            return unavailable != null ? label + ": " + unavailable : label + " (" + interpreter + ")";
        }
    }

    private PythonSide() {
    }

    /**
     * @param stock the stock-asyncio interpreter, or {@code null} for {@code python3} on the PATH
     * @param uvloopPython the uvloop interpreter to try first, or {@code null}
     * @return the stock column and the uvloop column
     */
    static List<Column> detect(String stock, String uvloopPython) {
        Optional<Path> python = stock != null ? Optional.of(Path.of(stock)).filter(Files::isExecutable) : onPath("python3");
        Column stockColumn = python
                .map(p -> new Column("CPython " + version(p).orElse("?"), p, false, null))
                .orElseGet(() -> new Column("CPython", null, false,
                        (stock != null ? stock + " is not an executable" : "python3 not found on PATH")));
        Set<Path> candidates = new LinkedHashSet<>();
        if (uvloopPython != null) {
            candidates.add(Path.of(uvloopPython));
        }
        python.ifPresent(candidates::add);
        UVLOOP_CANDIDATES.forEach(c -> candidates.add(Path.of(c)));
        Column uvloopColumn = null;
        List<String> tried = new ArrayList<>();
        for (Path candidate : candidates) {
            if (!Files.isExecutable(candidate)) {
                continue;
            }
            tried.add(candidate.toString());
            Optional<String> uv = probe(candidate, "import uvloop, platform; print(uvloop.__version__, platform.python_version())");
            if (uv.isPresent()) {
                String[] v = uv.get().split(" ");
                uvloopColumn = new Column("uvloop " + v[0] + " (Python " + v[v.length - 1] + ")", candidate, true, null);
                break;
            }
        }
        if (uvloopColumn == null) {
            uvloopColumn = new Column("uvloop", null, true, tried.isEmpty()
                    ? "no Python interpreter found"
                    : "uvloop not importable by " + String.join(", ", tried));
        }
        return List.of(stockColumn, uvloopColumn);
    }

    /**
     * Runs {@code program} in fresh processes (the median of several where the program asks for it).
     *
     * @param column the interpreter column
     * @param dir {@code benchmarks/python}
     * @param program the program and its arguments
     * @param quick whether to pass {@code --quick --rounds 1} and run one process
     * @return the figure, or why there is none
     */
    static Cell run(Column column, Path dir, Workload.PythonProgram program, boolean quick) {
        if (column.unavailable() != null) {
            return Cell.missing(column.unavailable());
        }
        List<String> command = new ArrayList<>();
        command.add(column.interpreter().toString());
        command.add(dir.resolve(program.script()).toString());
        command.addAll(program.args());
        if (column.uvloop()) {
            command.add("--uvloop");
        }
        if (quick) {
            command.addAll(List.of("--quick", "--rounds", "1"));
        }
        int processes = quick ? 1 : program.processes();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            try {
                Map<String, Object> record = runOnce(command, quick ? 120 : 900);
                Object error = record.get("error");
                if (error != null) {
                    return Cell.missing(String.valueOf(error));
                }
                values.add(((Number) record.get("value")).doubleValue());
            } catch (IOException | RuntimeException e) {
                return Cell.missing(program.script() + " failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Cell.missing("interrupted");
            }
        }
        return Cell.of(Compare.median(values));
    }

    private static Map<String, Object> runOnce(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // leave no __pycache__ in the source tree
        Process process = builder.start();
        process.getOutputStream().close();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Thread drain = Thread.ofPlatform().daemon().start(() -> {
            try (var in = process.getErrorStream()) {
                in.transferTo(stderr);
            } catch (IOException ignored) {
                // the process is gone; what was read is all there is
            }
        });
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        Thread read = Thread.ofPlatform().daemon().start(() -> {
            try (var in = process.getInputStream()) {
                in.transferTo(stdout);
            } catch (IOException ignored) {
                // as above
            }
        });
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out after " + timeoutSeconds + " s");
        }
        read.join();
        drain.join();
        List<String> lines = stdout.toString(StandardCharsets.UTF_8).strip().lines().toList();
        if (process.exitValue() != 0 || lines.isEmpty()) {
            List<String> err = stderr.toString(StandardCharsets.UTF_8).strip().lines().toList();
            throw new IllegalStateException("exit " + process.exitValue() + ": " + (err.isEmpty() ? "no output" : err.get(err.size() - 1)));
        }
        return JsonLine.parse(lines.get(lines.size() - 1));
    }

    /** @return e.g. {@code 3.11.7}, if {@code python} runs */
    private static Optional<String> version(Path python) {
        return probe(python, "import platform; print(platform.python_version())");
    }

    /** Runs a one-liner; its first output line if it exits 0 within 30 s. */
    private static Optional<String> probe(Path python, String code) {
        try {
            Process p = new ProcessBuilder(python.toString(), "-c", code)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 && !out.isEmpty() ? Optional.of(out.lines().findFirst().orElse(out)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** @return the first executable named {@code name} on the PATH */
    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
