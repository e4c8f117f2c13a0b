package dev.asyncio.examples;

import dev.asyncio.Asyncio;
import dev.asyncio.streams.Subprocess;
import dev.asyncio.streams.Subprocess.Options;
import dev.asyncio.streams.Subprocess.Redirect;
import java.nio.charset.StandardCharsets;

/**
 * The subprocess tutorial: start a child process and read its output line by line as it comes, while
 * the loop stays free for other work; then wait for its exit code.
 *
 * <pre>
 * proc = await asyncio.create_subprocess_exec(
 *     sys.executable, '-c', code, stdout=asyncio.subprocess.PIPE)
 * while line := await proc.stdout.readline():
 *     print(line.decode().rstrip())
 * await proc.wait()
 * </pre>
 */
public final class SubprocessLineByLine {
    private SubprocessLineByLine() {
    }

    /** Runs the example (a POSIX shell prints three lines, 50 ms apart). */
    public static void run() {
        Asyncio.run(() -> {
            Subprocess proc = Subprocess.createSubprocessExec(Options.inherit().withStdout(Redirect.PIPE),
                    "sh", "-c", "for i in 1 2 3; do echo \"line $i\"; sleep 0.05; done");
            byte[] line;
            while ((line = proc.stdout().readline()).length > 0) {
                System.out.println("child says: " + new String(line, StandardCharsets.UTF_8).stripTrailing());
            }
            int code = proc.waitFor();
            System.out.println("child exited with " + code);
        });
    }

    /** @param args ignored */
    public static void main(String[] args) {
        run();
    }
}
