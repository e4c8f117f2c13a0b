package dev.asyncio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLineTest {

    @Test
    void readsARecordAsThePythonProgramsPrintIt() {
        Map<String, Object> r = JsonLine.parse("{\"workload\": \"switch\", \"impl\": \"cpython-3.11.7\", \"value\": 1171.4, "
                + "\"unit\": \"ns/op\", \"n\": 1000000, \"rounds\": [1171.4, 1180.0, 1.2e3], \"python\": \"3.11.7\"}");
        assertEquals("switch", r.get("workload"));
        assertEquals(1171.4, (Double) r.get("value"));
        assertEquals(1_000_000.0, (Double) r.get("n"));
        assertEquals(List.of(1171.4, 1180.0, 1200.0), r.get("rounds"));
    }

    @Test
    void readsEscapesLiteralsAndNestedObjects() {
        Map<String, Object> r = JsonLine.parse("{\"error\": \"exit 1: \\\"boom\\\" \\u00e9\\n\", \"ok\": false, \"x\": null, "
                + "\"nested\": {\"a\": [true, -1.5E-3]}, \"nan\": NaN, \"inf\": -Infinity}");
        assertEquals("exit 1: \"boom\" é\n", r.get("error"));
        assertEquals(Boolean.FALSE, r.get("ok"));
        assertNull(r.get("x"));
        assertEquals(Map.of("a", List.of(true, -0.0015)), r.get("nested"));
        assertEquals(Double.NaN, (Double) r.get("nan"));
        assertEquals(Double.NEGATIVE_INFINITY, (Double) r.get("inf"));
    }

    @Test
    void rejectsWhatIsNotOneObject() {
        assertThrows(IllegalArgumentException.class, () -> JsonLine.parse("[1, 2]"));
        assertThrows(IllegalArgumentException.class, () -> JsonLine.parse("{\"a\": 1} trailing"));
        assertThrows(IllegalArgumentException.class, () -> JsonLine.parse("{\"a\": }"));
        assertThrows(IllegalArgumentException.class, () -> JsonLine.parse("{\"a\": \"unterminated}"));
        assertThrows(IllegalArgumentException.class, () -> JsonLine.parse("Traceback (most recent call last):"));
    }
}
