package dev.asyncio.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link Report} as one Markdown table (readable as plain text too): per workload, the Java
 * figure in each carrier mode, each Python figure, how many times better ours is than each Python
 * column, the target (docs/design.md §9, issue 24), and whether each mode meets it ("—" for rows without a
 * target, for a mode the target does not apply to, and where a figure it needs is missing). Cells without
 * a figure point to a numbered note under the table that says why.
 */
final class ResultsTable {
    private final Report report;
    private final Map<String, Integer> notes = new LinkedHashMap<>();

    private ResultsTable(Report report) {
        this.report = report;
    }

    /** @return the table and its notes */
    static String render(Report report) {
        return new ResultsTable(report).render();
    }

    private String render() {
        List<Carrier> carriers = List.of(Carrier.values());
        List<String> header = new ArrayList<>(List.of("workload", "unit"));
        carriers.forEach(c -> header.add(c.label));
        report.pythonColumns().forEach(p -> header.add(p.label()));
        for (PythonSide.Column p : report.pythonColumns()) {
            header.add("ours vs " + p.label().split(" ")[0] + " (portable / loop)");
        }
        header.add("target");
        header.add("met (portable / loop)");

        int cpythonColumn = report.cpythonColumn(); // the reference of targets relative to CPython
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        for (Report.Row row : report.rows()) {
            Workload w = row.workload();
            List<String> line = new ArrayList<>(List.of(w.title(), w.unit()));
            carriers.forEach(c -> line.add(cell(row.java().get(c), w.unit())));
            row.python().forEach(p -> line.add(cell(p, w.unit())));
            for (Cell p : row.python()) {
                List<String> ratios = new ArrayList<>();
                for (Carrier c : carriers) {
                    Cell ours = row.java().get(c);
                    ratios.add(ours.hasValue() && p.hasValue() ? Figures.ratio(w.timesBetter(ours.value(), p.value())) : "—");
                }
                line.add(ratios.stream().allMatch("—"::equals) ? "—" : String.join(" / ", ratios));
            }
            line.add(w.target().describe(w.unit()));
            if (w.target().exists()) {
                Cell cpython = cpythonColumn >= 0 ? row.python().get(cpythonColumn) : Cell.missing("no CPython column");
                List<String> verdicts = new ArrayList<>();
                for (Carrier c : carriers) {
                    verdicts.add(w.target().judge(c, row.java().get(c), cpython).text);
                }
                line.add(String.join(" / ", verdicts));
            } else {
                line.add("—"); // nothing to meet
            }
            lines.add(line);
        }

        int[] widths = new int[header.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int l = 0; l < lines.size(); l++) {
            appendLine(sb, lines.get(l), widths);
            if (l == 0) {
                List<String> rule = new ArrayList<>();
                for (int i = 0; i < widths.length; i++) {
                    // numbers right-aligned, names left-aligned
                    rule.add(i < 2 ? "-".repeat(widths[i]) : "-".repeat(widths[i] - 1) + ":");
                }
                appendLine(sb, rule, widths);
            }
        }
        if (!notes.isEmpty()) {
            sb.append('\n');
            notes.forEach((text, n) -> sb.append("[").append(n).append("] ").append(text).append('\n'));
        }
        return sb.toString();
    }

    private String cell(Cell cell, String unit) {
        if (cell.hasValue()) {
            return Figures.format(cell.value(), unit);
        }
        int n = notes.computeIfAbsent(cell.message(), k -> notes.size() + 1);
        return "n/a [" + n + "]";
    }

    private static void appendLine(StringBuilder sb, List<String> cells, int[] widths) {
        sb.append('|');
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            String pad = " ".repeat(widths[i] - c.length());
            sb.append(' ').append(i < 2 ? c + pad : pad + c).append(" |");
        }
        sb.append('\n');
    }
}
