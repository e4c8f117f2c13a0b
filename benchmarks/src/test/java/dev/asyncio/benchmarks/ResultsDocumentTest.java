package dev.asyncio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Writing a run's section into the results document keeps every other section and hand-written part. */
class ResultsDocumentTest {
    private static final String HAND_WRITTEN = "## Web load\n\nWritten by hand: 39,175 req/s.\n";

    @Test
    void aNewFileStartsWithTheTitleAndHoldsTheRunsSection() {
        String doc = ResultsDocument.merge(null, 0, "- Date: today\n\n| table |\n");
        assertTrue(doc.startsWith(ResultsDocument.TITLE), doc);
        assertTrue(doc.contains("## Quiet machine\n\n- Date: today\n\n| table |\n"), doc);
    }

    @Test
    void aRunReplacesOnlyItsOwnLoadsSectionAndKeepsTheRest() {
        String quiet = ResultsDocument.merge(null, 0, "quiet 1") + "\n" + HAND_WRITTEN;
        String both = ResultsDocument.merge(quiet, 2, "loaded 1");
        String again = ResultsDocument.merge(both, 0, "quiet 2");

        assertEquals(ResultsDocument.TITLE + "\n"
                + ResultsDocument.section(0, "quiet 2") + "\n"
                + ResultsDocument.section(2, "loaded 1") + "\n"
                + HAND_WRITTEN, again);
        assertEquals(again, ResultsDocument.merge(again, 0, "quiet 2"), "rewriting the same section changes nothing");
    }

    @Test
    void sectionsStayInOrderOfLoadWhateverOrderTheRunsCameIn() {
        String doc = ResultsDocument.merge(null, 4, "four");
        doc = ResultsDocument.merge(doc, 0, "quiet");
        doc = ResultsDocument.merge(doc, 2, "two");
        int quiet = doc.indexOf("## Quiet machine");
        int two = doc.indexOf("## Under load: 2 busy threads");
        int four = doc.indexOf("## Under load: 4 busy threads");
        assertTrue(quiet >= 0 && quiet < two && two < four, doc);
    }

    @Test
    void aFileWithoutGeneratedSectionsKeepsAllItsTextAfterTheNewSection() {
        String old = "# Old results\n\nsome table\n\n" + HAND_WRITTEN;
        String doc = ResultsDocument.merge(old, 1, "loaded");
        assertTrue(doc.endsWith("\n" + old), doc);
        assertTrue(doc.contains(ResultsDocument.section(1, "loaded")), doc);
        assertEquals("## Under load: 1 busy thread", ResultsDocument.heading(1));
    }
}
