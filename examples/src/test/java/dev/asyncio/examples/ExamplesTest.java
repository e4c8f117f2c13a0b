package dev.asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** The examples print what the tutorials promise, in the order they promise it. */
@Isolated("captures System.out")
class ExamplesTest {

    private static List<String> output(Runnable example) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            example.run();
        } finally {
            System.setOut(original);
        }
        return Arrays.asList(bytes.toString(StandardCharsets.UTF_8).split("\\R"));
    }

    @Test
    void helloHelloWorldWorldInOneSecond() {
        List<String> lines = output(HelloWorld::run);
        assertEquals(List.of("Hello", "Hello", "World", "World"), lines.subList(0, 4));
        assertEquals("took 1.0 s", lines.get(4));
    }

    @Test
    void numbersArePrintedWhileFetching() {
        List<String> lines = output(FetchAndPrint::run);
        assertEquals("Start fetching", lines.get(0));
        int done = lines.indexOf("Done fetching");
        assertTrue(lines.subList(1, done).containsAll(List.of("0", "1", "2")), lines.toString());
        assertTrue(lines.contains("{data=1}"));
        assertTrue(lines.contains("4"));
    }

    @Test
    void sayAfterRunsOnTheLoopOfTheThread() {
        List<String> lines = output(SayAfter::run);
        assertTrue(lines.get(0).endsWith("started"));
        assertTrue(lines.get(1).endsWith("hello"));
        assertTrue(lines.get(2).endsWith("world"));
        assertTrue(lines.get(3).endsWith("finished"));
    }

    @Test
    void errorsAreCaughtInsideCoroutines() {
        List<String> lines = output(ErrorHandling::run);
        assertEquals("caught: cannot reach https://bad.example", lines.get(0));
        assertEquals("task failed with IOException: cannot reach https://bad.example/task", lines.get(1));
        assertEquals("slow task cancelled, cleaning up", lines.get(2));
        assertTrue(lines.get(3).contains("contents of https://good.example"), lines.get(3));
        assertTrue(lines.get(3).contains("dev.asyncio.CancelledError"), lines.get(3));
    }
}
