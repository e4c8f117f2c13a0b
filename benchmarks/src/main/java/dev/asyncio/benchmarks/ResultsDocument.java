package dev.asyncio.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The results document ({@code benchmarks/RESULTS.md}) that {@code benchmarks/run --out FILE} writes:
 * one generated section per machine load (the quiet run, and a run per {@code --load N}), each between
 * marker comments, and whatever else the file holds written by hand.
 *
 * <p>Writing a run's section into an existing file replaces the section of the same load and keeps
 * everything else: the other loads' sections and every hand-written part (such as the web-load figures
 * at the end of {@code RESULTS.md}). A new load's section goes after the last generated section, in
 * order of load (quiet first). A file without any generated section keeps its whole text after the new
 * section; a missing file starts with a title.
 *
 * <p>Pure text in, text out; any thread.
 */
final class ResultsDocument {
    /** The title of a new document. */
    static final String TITLE = """
            # Benchmark results: asyncio for Java vs CPython asyncio and uvloop

            Written by `benchmarks/run --out benchmarks/RESULTS.md` (quiet machine) and
            `benchmarks/run --load N --out benchmarks/RESULTS.md` (N busy threads beside every workload); see
            `benchmarks/README.md`. Each run replaces only its own section; the rest of this file is kept.
            """;

    private static final Pattern SECTION = Pattern.compile(
            "<!-- benchmarks/run: begin load=(\\d+) -->\\n.*?<!-- benchmarks/run: end load=\\1 -->\\n?", Pattern.DOTALL);

    private ResultsDocument() {
    }

    /**
     * @param load the number of busy threads, 0 for a quiet run
     * @return the heading of that run's section
     */
    static String heading(int load) {
        return load == 0 ? "## Quiet machine" : "## Under load: " + load + " busy thread" + (load == 1 ? "" : "s");
    }

    /**
     * Wraps a run's Markdown in its markers, under its {@link #heading}.
     *
     * @param load the number of busy threads, 0 for a quiet run
     * @param body the run's header, table and notes
     * @return the section, ending with a newline
     */
    static String section(int load, String body) {
        return "<!-- benchmarks/run: begin load=" + load + " -->\n" + heading(load) + "\n\n" + body.strip() + "\n"
                + "<!-- benchmarks/run: end load=" + load + " -->\n";
    }

    /**
     * Puts a run's section into a document.
     *
     * @param existing the file's text, or {@code null} if there is no file yet
     * @param load the run's number of busy threads, 0 for quiet
     * @param body the run's header, table and notes (without heading or markers)
     * @return the new text of the file
     */
    static String merge(String existing, int load, String body) {
        String mine = section(load, body);
        if (existing == null || existing.isBlank()) {
            return TITLE + "\n" + mine;
        }
        Matcher m = SECTION.matcher(existing);
        List<int[]> spans = new ArrayList<>();
        List<Integer> loads = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
            loads.add(Integer.parseInt(m.group(1)));
        }
        if (spans.isEmpty()) {
            return TITLE + "\n" + mine + "\n" + existing;
        }
        int same = loads.indexOf(load);
        if (same >= 0) {
            int[] s = spans.get(same);
            return existing.substring(0, s[0]) + mine + existing.substring(s[1]);
        }
        // A new load: before the first section of a higher load, else after the last section.
        for (int i = 0; i < spans.size(); i++) {
            if (loads.get(i) > load) {
                int at = spans.get(i)[0];
                return existing.substring(0, at) + mine + "\n" + existing.substring(at);
            }
        }
        int at = spans.get(spans.size() - 1)[1];
        return existing.substring(0, at) + "\n" + mine + existing.substring(at);
    }
}
