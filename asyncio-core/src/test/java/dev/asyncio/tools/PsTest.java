package dev.asyncio.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The command's failures: wrong arguments and a process it cannot read. Reading a live JVM is tested with two
 * real processes in asyncio-reactor's {@code ReactorPsTest} (the tree there spans a {@code mono}).
 */
class PsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Ps.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void wrongArgumentsPrintTheUsageAndExitWithTwo() {
        assertEquals(2, run("top", "1"));
        assertEquals(2, run("ps"));
        assertEquals(2, run("pstree", "not-a-pid"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage: java -cp asyncio-core.jar dev.asyncio.tools.Ps (ps | pstree) <pid>"),
                err::toString);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aProcessThatDoesNotExistIsAnErrorWithExitOne() {
        long pid = 4_000_000;
        while (ProcessHandle.of(pid).isPresent()) {
            pid--;
        }
        assertEquals(1, run("ps", Long.toString(pid)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("Error retrieving tasks of process " + pid + ": "), err::toString);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}
