package dev.asyncio.streams;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.engine.LoopEngine;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * asyncio's {@code asyncio.subprocess.Process}: a child process whose standard streams are
 * {@link StreamReader}s and a {@link StreamWriter}; made by {@link #createSubprocessExec} and
 * {@link #createSubprocessShell}.
 *
 * <p><b>How pipes are read.</b> Java's process pipes are not selectable, so each pipe gets a helper
 * thread of the loop (a virtual thread of the JDK's default scheduler, never the loop's own carrier,
 * which a blocking pipe call would stall) that moves data between the pipe and the loop through
 * {@link EventLoop#callSoonThreadsafe}, with backpressure (see the stream classes): a child that writes
 * more than the reader consumes is held back by its full pipe, and {@link #communicate} reads stdout and
 * stderr concurrently, so large outputs never deadlock.
 *
 * <p><b>No thread outlives its pipe.</b> When the child exits, its stdin pipe is closed (asyncio's
 * {@code _process_exited}); stdout and stderr are read to their end, so nothing the child wrote is lost,
 * and their threads end there. When the loop closes, every pipe is closed (a reader paused by
 * backpressure stops waiting), a child still running is killed (as asyncio's subprocess transport does
 * when it is closed or collected), and the pipe threads are interrupted and joined, so none is left.
 *
 * <p><b>Differences from asyncio</b>, forced by the JDK: {@link #returncode()} is the JDK's exit value,
 * which for a child killed by signal N is {@code 128 + N} on Unix (asyncio reports {@code -N});
 * {@link #sendSignal} sends SIGTERM and SIGKILL through the {@link Process} API and any other signal by
 * running the system's {@code kill} command (Unix only).
 *
 * <p><b>Threads.</b> All methods must be called on the loop's turn; {@link #waitFor()},
 * {@link #communicate} and the stream reads suspend and must be called from a coroutine. A coroutine
 * waiting for the child, or a pipe still open, counts as work in flight for an auto-jumping virtual clock.
 */
public final class Subprocess {
    /** asyncio's {@code PIPE}, {@code DEVNULL}, {@code STDOUT} and {@code None} (inherit). */
    public enum Redirect {
        /** A pipe: the stream is available as {@link #stdin()}, {@link #stdout()} or {@link #stderr()}. */
        PIPE,
        /** The null device. */
        DEVNULL,
        /** The parent's own stream (asyncio's {@code None}, the default). */
        INHERIT,
        /** For stderr only: merge into stdout. */
        STDOUT
    }

    /**
     * How to start a child; asyncio's keyword arguments. Immutable; the {@code with…} methods return
     * changed copies.
     *
     * @param stdin the child's standard input
     * @param stdout the child's standard output
     * @param stderr the child's standard error ({@link Redirect#STDOUT} merges it into stdout)
     * @param cwd the working directory, or {@code null} for the parent's
     * @param env the complete environment, or {@code null} for the parent's
     * @param limit the buffer limit of the stdout/stderr readers
     */
    public record Options(Redirect stdin, Redirect stdout, Redirect stderr, Path cwd, Map<String, String> env, int limit) {
        /**
         * @throws IllegalArgumentException if {@code STDOUT} is used for stdin or stdout, or limit is not positive
         */
        public Options {
            Objects.requireNonNull(stdin, "stdin");
            Objects.requireNonNull(stdout, "stdout");
            Objects.requireNonNull(stderr, "stderr");
            if (stdin == Redirect.STDOUT || stdout == Redirect.STDOUT) {
                throw new IllegalArgumentException("Redirect.STDOUT is only valid for stderr");
            }
            if (limit <= 0) {
                throw new IllegalArgumentException("limit must be positive: " + limit);
            }
            env = env == null ? null : Map.copyOf(env);
        }

        /** @return asyncio's defaults: all three streams inherited, default limit */
        public static Options inherit() {
            return new Options(Redirect.INHERIT, Redirect.INHERIT, Redirect.INHERIT, null, null, StreamReader.DEFAULT_LIMIT);
        }

        /** @return all three streams as pipes */
        public static Options pipes() {
            return new Options(Redirect.PIPE, Redirect.PIPE, Redirect.PIPE, null, null, StreamReader.DEFAULT_LIMIT);
        }

        /**
         * @param r the redirect
         * @return a copy with stdin {@code r}
         */
        public Options withStdin(Redirect r) {
            return new Options(r, stdout, stderr, cwd, env, limit);
        }

        /**
         * @param r the redirect
         * @return a copy with stdout {@code r}
         */
        public Options withStdout(Redirect r) {
            return new Options(stdin, r, stderr, cwd, env, limit);
        }

        /**
         * @param r the redirect
         * @return a copy with stderr {@code r}
         */
        public Options withStderr(Redirect r) {
            return new Options(stdin, stdout, r, cwd, env, limit);
        }

        /**
         * @param dir the working directory
         * @return a copy with it
         */
        public Options withCwd(Path dir) {
            return new Options(stdin, stdout, stderr, dir, env, limit);
        }

        /**
         * @param environment the complete environment
         * @return a copy with it
         */
        public Options withEnv(Map<String, String> environment) {
            return new Options(stdin, stdout, stderr, cwd, environment, limit);
        }

        /**
         * @param bytes the readers' limit
         * @return a copy with it
         */
        public Options withLimit(int bytes) {
            return new Options(stdin, stdout, stderr, cwd, env, bytes);
        }
    }

    /**
     * What {@link #communicate} returns.
     *
     * @param stdout everything the child wrote to stdout, or {@code null} if stdout is not a pipe
     * @param stderr everything it wrote to stderr, or {@code null} if stderr is not a pipe
     */
    public record Output(byte[] stdout, byte[] stderr) {
    }

    private static final System.Logger LOG = System.getLogger("dev.asyncio");

    private final EventLoop loop;
    private final Process process;
    private final StreamWriter stdin;
    private final StreamReader stdout;
    private final StreamReader stderr;
    private final List<Future<Integer>> exitWaiters = new ArrayList<>();
    private Integer returncode;
    private final PipeWriteTransport stdinPipe;
    private final List<PipeReadTransport> outputPipes = new ArrayList<>(2);
    /** The child and its open pipes, counted down on the loop's turn as each ends. */
    private int unfinished = 1;
    /** Unregisters {@link #endWithLoop()} once the child and its pipes have all ended. */
    private final Runnable unregisterAtClose;

    private Subprocess(EventLoop loop, Process process, Options options) {
        this.loop = loop;
        this.process = process;
        this.unregisterAtClose = LoopEngine.of(loop).atClose(this::endWithLoop);
        if (options.stdin() == Redirect.PIPE) {
            StreamReaderProtocol p = new StreamReaderProtocol(loop, null, null);
            unfinished++;
            stdinPipe = new PipeWriteTransport(loop, process.getOutputStream(), p, this::finished);
            stdin = new StreamWriter(stdinPipe, p, null, loop);
            stdinPipe.start("asyncio-stdin-" + process.pid());
        } else {
            stdinPipe = null;
            stdin = null;
        }
        stdout = options.stdout() == Redirect.PIPE ? pipeReader(process.getInputStream(), options.limit(), "stdout") : null;
        stderr = options.stderr() == Redirect.PIPE ? pipeReader(process.getErrorStream(), options.limit(), "stderr") : null;
        LoopEngine.of(loop).externalWork(1);
        process.onExit().whenComplete((p, e) -> {
            try {
                loop.callSoonThreadsafe(this::exited);
            } catch (IllegalStateException loopClosed) {
                // nobody left to tell
            } finally {
                LoopEngine.of(loop).externalWork(-1);
            }
        });
    }

    private StreamReader pipeReader(java.io.InputStream in, int limit, String which) {
        StreamReader r = new StreamReader(limit, loop);
        StreamReaderProtocol p = new StreamReaderProtocol(loop, r, null);
        unfinished++;
        PipeReadTransport t = new PipeReadTransport(loop, in, p, this::finished);
        outputPipes.add(t);
        t.start("asyncio-" + which + "-" + process.pid());
        return r;
    }

    private void exited() {
        returncode = process.exitValue();
        if (stdinPipe != null) {
            stdinPipe.close(); // nobody reads it any more: its thread ends after what is queued
        }
        for (Future<Integer> w : exitWaiters) {
            if (!w.isDone()) {
                w.setResult(returncode);
            }
        }
        exitWaiters.clear();
        finished();
    }

    /** On the loop's turn: the child or one of its pipes has ended. */
    private void finished() {
        if (--unfinished == 0) {
            unregisterAtClose.run();
        }
    }

    /** When the loop closes, on the closing thread: nothing of this child may outlive the loop. */
    private void endWithLoop() {
        if (process.isAlive()) {
            if (loop.getDebug()) {
                LOG.log(System.Logger.Level.WARNING, "Close running child process: kill " + this);
            }
            process.destroyForcibly();
        }
        if (stdinPipe != null) {
            stdinPipe.abort();
        }
        for (PipeReadTransport t : outputPipes) {
            t.close();
        }
    }

    /**
     * Starts {@code program} with {@code args} directly, without a shell; asyncio's
     * {@code create_subprocess_exec}.
     *
     * @param options the redirections and environment
     * @param program the program (looked up on {@code PATH})
     * @param args its arguments
     * @return the running process
     * @throws IOException if it cannot be started (e.g. no such program)
     * @throws IllegalStateException if not called on a running loop's turn
     */
    public static Subprocess createSubprocessExec(Options options, String program, String... args) throws IOException {
        Objects.requireNonNull(program, "program");
        List<String> cmd = new ArrayList<>();
        cmd.add(program);
        cmd.addAll(List.of(args));
        return start(options, cmd);
    }

    /**
     * Runs {@code command} through the system shell ({@code /bin/sh -c} on Unix, {@code cmd.exe /c} on
     * Windows); asyncio's {@code create_subprocess_shell}. Quote anything that comes from users.
     *
     * @param options the redirections and environment
     * @param command the shell command line
     * @return the running process
     * @throws IOException if the shell cannot be started
     */
    public static Subprocess createSubprocessShell(Options options, String command) throws IOException {
        Objects.requireNonNull(command, "command");
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return start(options, windows ? List.of("cmd.exe", "/c", command) : List.of("/bin/sh", "-c", command));
    }

    private static Subprocess start(Options options, List<String> cmd) throws IOException {
        Objects.requireNonNull(options, "options");
        EventLoop loop = Asyncio.getRunningLoop();
        ProcessBuilder pb = new ProcessBuilder(cmd);
        File devNull = new File(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? "NUL" : "/dev/null");
        pb.redirectInput(switch (options.stdin()) {
            case PIPE -> ProcessBuilder.Redirect.PIPE;
            case DEVNULL -> ProcessBuilder.Redirect.from(devNull);
            default -> ProcessBuilder.Redirect.INHERIT;
        });
        pb.redirectOutput(switch (options.stdout()) {
            case PIPE -> ProcessBuilder.Redirect.PIPE;
            case DEVNULL -> ProcessBuilder.Redirect.DISCARD;
            default -> ProcessBuilder.Redirect.INHERIT;
        });
        switch (options.stderr()) {
            case PIPE -> pb.redirectError(ProcessBuilder.Redirect.PIPE);
            case DEVNULL -> pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            case STDOUT -> pb.redirectErrorStream(true);
            default -> pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        if (options.cwd() != null) {
            pb.directory(options.cwd().toFile());
        }
        if (options.env() != null) {
            pb.environment().clear();
            pb.environment().putAll(options.env());
        }
        // ProcessBuilder.start forks and execs synchronously (as asyncio's Popen does on the loop).
        Process p = pb.start();
        return new Subprocess(loop, p, options);
    }

    /** @return the child's process id */
    public long pid() {
        return process.pid();
    }

    /** @return the exit value once the child has exited (as seen by the loop), else {@code null} */
    public Integer returncode() {
        return returncode;
    }

    /** @return the writer of the child's stdin, or {@code null} unless stdin is {@link Redirect#PIPE} */
    public StreamWriter stdin() {
        return stdin;
    }

    /** @return the reader of the child's stdout, or {@code null} unless stdout is {@link Redirect#PIPE} */
    public StreamReader stdout() {
        return stdout;
    }

    /** @return the reader of the child's stderr, or {@code null} unless stderr is {@link Redirect#PIPE} */
    public StreamReader stderr() {
        return stderr;
    }

    /**
     * Suspends until the child exits and returns its exit value; asyncio's {@code wait()} (renamed:
     * {@code Object.wait()} is final). Like asyncio's, it can deadlock if the child fills a pipe nobody
     * reads: use {@link #communicate} when the output may be large.
     *
     * @return the exit value
     * @throws dev.asyncio.CancelledError if the calling task is cancelled meanwhile (the child keeps running)
     */
    public int waitFor() {
        if (returncode != null) {
            return returncode;
        }
        Future<Integer> w = loop.createFuture();
        exitWaiters.add(w);
        return w.await();
    }

    /**
     * Sends {@code input} to stdin (then closes it), reads stdout and stderr to their ends
     * concurrently, and waits for the child to exit; asyncio's {@code communicate}. A child that exits
     * without reading its input does not make this fail (a broken pipe on stdin is ignored, as asyncio
     * does).
     *
     * @param input the bytes for stdin, or {@code null} to send nothing
     * @return the output of the piped streams
     * @throws IOException if reading the output fails
     * @throws IllegalStateException if {@code input} is given but stdin is not a pipe
     */
    public Output communicate(byte[] input) throws IOException {
        if (input != null && stdin == null) {
            throw new IllegalStateException("communicate(input) needs stdin=Redirect.PIPE");
        }
        Task<Void> feeder = stdin == null ? null : Asyncio.createTask(() -> {
            try {
                if (input != null && input.length > 0) {
                    stdin.write(input);
                    stdin.drain();
                }
            } catch (IOException brokenPipe) {
                // the child closed its stdin: asyncio ignores BrokenPipeError and ConnectionResetError here
            }
            stdin.close();
        });
        Task<byte[]> out = stdout == null ? null : Asyncio.createTask(() -> stdout.read(-1));
        Task<byte[]> err = stderr == null ? null : Asyncio.createTask(() -> stderr.read(-1));
        List<Future<?>> all = new ArrayList<>();
        for (Future<?> f : new Future<?>[] {feeder, out, err}) {
            if (f != null) {
                all.add(f);
            }
        }
        Asyncio.gather(all.toArray(new Future<?>[0])).await();
        waitFor();
        return new Output(out == null ? null : out.result(), err == null ? null : err.result());
    }

    /**
     * Sends signal {@code signal} to the child; asyncio's {@code send_signal}. SIGTERM (15) and SIGKILL
     * (9) go through {@link Process#destroy()} and {@link Process#destroyForcibly()}; other signals run
     * the system's {@code kill -<signal> <pid>} (Unix only, which blocks the loop for the few
     * milliseconds that takes). Does nothing once the child has exited.
     *
     * @param signal the signal number
     * @throws IOException if {@code kill} cannot be run or fails
     * @throws UnsupportedOperationException for a signal other than 9 or 15 on Windows
     */
    public void sendSignal(int signal) throws IOException {
        if (!process.isAlive()) {
            return;
        }
        if (signal == 15) {
            process.destroy();
            return;
        }
        if (signal == 9) {
            process.destroyForcibly();
            return;
        }
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            throw new UnsupportedOperationException("Java can send only SIGTERM (15) and SIGKILL (9) on Windows, not " + signal);
        }
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            int rc = kill.waitFor();
            if (rc != 0 && process.isAlive()) {
                throw new IOException("kill -" + signal + " " + process.pid() + " failed with exit value " + rc);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending signal " + signal, e);
        }
    }

    /** Asks the child to stop (SIGTERM on Unix); asyncio's {@code terminate}. */
    public void terminate() {
        if (process.isAlive()) {
            process.destroy();
        }
    }

    /** Kills the child (SIGKILL on Unix); asyncio's {@code kill}. */
    public void kill() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "<Subprocess " + process.pid() + (returncode != null ? " returncode=" + returncode : " running") + ">";
    }
}
