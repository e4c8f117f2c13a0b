package dev.asyncio.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.ThreadDump;
import dev.asyncio.streams.Subprocess.Options;
import dev.asyncio.streams.Subprocess.Redirect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Real child processes (POSIX shell tools). */
@DisabledOnOs(OS.WINDOWS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SubprocessTest {

    @Test
    void outputIsReadLineByLine() {
        List<String> lines = Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec(Options.inherit().withStdout(Redirect.PIPE),
                    "sh", "-c", "for i in 1 2 3; do echo line $i; done");
            List<String> out = new ArrayList<>();
            byte[] line;
            while ((line = p.stdout().readline()).length > 0) {
                out.add(new String(line, StandardCharsets.UTF_8).strip());
            }
            assertEquals(0, p.waitFor());
            assertEquals(0, p.returncode());
            assertNull(p.stdin());
            assertNull(p.stderr());
            return out;
        });
        assertEquals(List.of("line 1", "line 2", "line 3"), lines);
    }

    /** The names of the pipe threads of the children whose ids are in {@code pids}. */
    private static List<String> pipeThreadsLeft(Set<Long> pids) throws InterruptedException {
        return ThreadDump.awaitGone(name -> name.matches("asyncio-std(in|out|err)-\\d+")
                && pids.contains(Long.parseLong(name.substring(name.lastIndexOf('-') + 1))));
    }

    @Test
    void noPipeThreadOutlivesTheChildrenItServed() throws Exception {
        Set<Long> pids = ConcurrentHashMap.newKeySet();
        Asyncio.run(() -> {
            for (int i = 0; i < 100; i++) {
                Subprocess p = Subprocess.createSubprocessExec(Options.pipes(), "echo", "hi");
                pids.add(p.pid());
                assertEquals("hi\n", new String(p.stdout().read(-1), StandardCharsets.UTF_8));
                assertEquals(0, p.waitFor());
            }
        });
        assertEquals(List.of(), pipeThreadsLeft(pids), "pipe threads still alive after Asyncio.run returned");
    }

    @Test
    void aReaderPausedByBackpressureEndsWhenTheLoopCloses() throws Exception {
        Set<Long> pids = ConcurrentHashMap.newKeySet();
        int exit = Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec(Options.pipes(), "head", "-c", "4000000000", "/dev/zero");
            pids.add(p.pid());
            assertEquals(1 << 20, p.stdout().readexactly(1 << 20).length);
            p.kill();
            return p.waitFor();
        });
        assertEquals(128 + 9, exit);
        assertEquals(List.of(), pipeThreadsLeft(pids), "pipe threads still alive after Asyncio.run returned");
    }

    @Test
    void aChildStillRunningWhenTheLoopClosesIsKilledAndLeavesNoThread() throws Exception {
        Set<Long> pids = ConcurrentHashMap.newKeySet();
        Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec(Options.pipes(), "sleep", "600");
            pids.add(p.pid());
            assertTrue(ProcessHandle.of(p.pid()).orElseThrow().isAlive());
        });
        assertEquals(List.of(), pipeThreadsLeft(pids), "pipe threads still alive after Asyncio.run returned");
        long pid = pids.iterator().next();
        ProcessHandle.of(pid).ifPresent(h -> assertTrue(h.onExit().orTimeout(20, TimeUnit.SECONDS).join() != null));
        assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "the child outlived the loop");
    }

    @Test
    void communicateWithLargeInputAndOutputDoesNotDeadlock() {
        byte[] input = new byte[8 * 1024 * 1024];
        new Random(42).nextBytes(input);
        Subprocess.Output out = Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec(Options.pipes(), "cat");
            return p.communicate(input);
        });
        assertArrayEquals(input, out.stdout());
        assertEquals(0, out.stderr().length);
    }

    @Test
    void bigStdoutAndStderrTogether() {
        Subprocess.Output out = Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessShell(Options.pipes().withStdin(Redirect.DEVNULL),
                    "head -c 3000000 /dev/zero; head -c 2000000 /dev/zero >&2; exit 3");
            Subprocess.Output o = p.communicate(null);
            assertEquals(3, p.returncode());
            return o;
        });
        assertEquals(3_000_000, out.stdout().length);
        assertEquals(2_000_000, out.stderr().length);
    }

    @Test
    void stderrCanMergeIntoStdoutAndDevnullDiscards() {
        String merged = Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessShell(
                    Options.inherit().withStdout(Redirect.PIPE).withStderr(Redirect.STDOUT), "echo out; echo err >&2");
            return new String(p.communicate(null).stdout(), StandardCharsets.UTF_8);
        });
        assertEquals("out\nerr\n", merged);
        Subprocess.Output nothing = Asyncio.run(() -> Subprocess.createSubprocessShell(
                Options.inherit().withStdout(Redirect.DEVNULL).withStderr(Redirect.PIPE), "echo gone").communicate(null));
        assertNull(nothing.stdout());
        assertEquals(0, nothing.stderr().length);
        assertThrows(IllegalArgumentException.class, () -> Options.inherit().withStdout(Redirect.STDOUT));
    }

    @Test
    void stdinStreamWithDrain() {
        String got = Asyncio.run(() -> {
            Subprocess p = Subprocess.createSubprocessExec(Options.pipes(), "tr", "a-z", "A-Z");
            for (int i = 0; i < 1000; i++) {
                p.stdin().write("hello\n".getBytes(StandardCharsets.UTF_8));
                p.stdin().drain();
            }
            p.stdin().close();
            byte[] all = p.stdout().read(-1);
            p.waitFor();
            return new String(all, 0, 12, StandardCharsets.UTF_8) + all.length;
        });
        assertEquals("HELLO\nHELLO\n6000", got);
    }

    /** SIGUSR1: 10 on Linux, 30 on macOS and the BSDs; its default action ends the process. */
    private static final int SIGUSR1 = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux") ? 10 : 30;

    @Test
    void terminateKillAndSignals() {
        int[] codes = Asyncio.run(() -> {
            Subprocess a = Subprocess.createSubprocessExec(Options.inherit(), "sleep", "30");
            Subprocess b = Subprocess.createSubprocessExec(Options.inherit(), "sleep", "30");
            Subprocess c = Subprocess.createSubprocessExec(Options.inherit(), "sleep", "30");
            assertTrue(a.pid() > 0);
            assertNull(a.returncode());
            a.terminate();
            b.kill();
            // SIGUSR1 through the system's kill command. Not SIGINT: a shell starts background jobs with
            // SIGINT ignored and children inherit that, so a build run in the background (CI) has a
            // `sleep` that SIGINT cannot end.
            c.sendSignal(SIGUSR1);
            int[] rc = {a.waitFor(), b.waitFor(), c.waitFor()};
            a.terminate(); // no-op once exited
            return rc;
        });
        // The JDK reports death by signal N as 128 + N (asyncio would say -N).
        assertEquals(128 + 15, codes[0]);
        assertEquals(128 + 9, codes[1]);
        assertEquals(128 + SIGUSR1, codes[2]);
    }

    @Test
    void aMissingProgramFailsToStart() {
        assertThrows(java.io.IOException.class, () -> Asyncio.run(() ->
                Subprocess.createSubprocessExec(Options.inherit(), "/nonexistent/program-xyz")));
    }
}
