package dev.asyncio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.Runner;
import dev.asyncio.VirtualClock;
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

    /**
     * Runs an example's {@code main()} coroutine as {@code Asyncio.run} would, but on an auto-jumping virtual
     * clock: its sleeps take no real time and its timings are exact, however loaded the machine is.
     */
    private static Runnable onVirtualClock(Coroutine<?> main) {
        return () -> {
            try (Runner runner = new Runner(() -> new EventLoop(new VirtualClock()), false)) {
                runner.run(main);
            }
        };
    }

    @Test
    void helloHelloWorldWorldInOneSecond() {
        List<String> lines = output(onVirtualClock(HelloWorld.main()));
        assertEquals(List.of("Hello", "Hello", "World", "World", "took 1.0 s"), lines,
                "both sleeps of one second ran at once: one second of loop time, not two");
    }

    @Test
    void helloWorldRunsOnTheRealClock() {
        // The program as a user runs it, on the real clock: the order is fixed; how long it took on this
        // machine is not (the exact figure is checked on the virtual clock above), only that it says it.
        List<String> lines = output(HelloWorld::run);
        assertEquals(List.of("Hello", "Hello", "World", "World"), lines.subList(0, 4));
        assertEquals(5, lines.size(), lines::toString);
        assertTrue(lines.get(4).matches("took \\d+\\.\\d s"), lines.get(4));
    }

    @Test
    void numbersArePrintedWhileFetching() {
        List<String> lines = output(onVirtualClock(FetchAndPrint.main().asCoroutine()));
        // Exact order by the loop's deadlines: numbers at 0, 250, 500 and 750 ms; at 1000 ms the fetch's timer fires
        // before the printer's (same deadline, scheduled first), and main prints the value one step later.
        assertEquals(List.of("Start fetching", "0", "1", "2", "3", "Done fetching", "4", "{data=1}"), lines);
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
