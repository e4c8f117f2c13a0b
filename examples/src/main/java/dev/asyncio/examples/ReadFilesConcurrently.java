package dev.asyncio.examples;

import static dev.asyncio.Asyncio.gather;
import static dev.asyncio.Asyncio.toThread;

import dev.asyncio.Asyncio;
import dev.asyncio.Coroutine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The tutorials' "file I/O operations": file reads block, so each runs on a worker thread with
 * {@code toThread} while the loop stays free, and {@code gather} runs them concurrently.
 *
 * <pre>
 * async def read_file(path):
 *     return await asyncio.to_thread(pathlib.Path(path).read_text)
 *
 * contents = await asyncio.gather(*(read_file(p) for p in paths))
 * </pre>
 */
public final class ReadFilesConcurrently {
    private ReadFilesConcurrently() {
    }

    /** Runs the example on three files it writes to a temporary directory and removes afterwards. */
    public static void run() {
        Path dir;
        List<Path> files = new ArrayList<>();
        try {
            dir = Files.createTempDirectory("asyncio-files");
            for (int i = 1; i <= 3; i++) {
                Path f = dir.resolve("file" + i + ".txt");
                Files.writeString(f, ("line of file " + i + "\n").repeat(i * 1000));
                files.add(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Asyncio.run(() -> {
                @SuppressWarnings("unchecked")
                Coroutine<String>[] reads = files.stream()
                        .map(f -> (Coroutine<String>) () -> toThread(() -> Files.readString(f, StandardCharsets.UTF_8)))
                        .toArray(Coroutine[]::new);
                List<String> contents = gather(reads).await();
                for (int i = 0; i < files.size(); i++) {
                    String text = contents.get(i);
                    System.out.println(files.get(i).getFileName() + ": " + text.lines().count() + " lines, first: "
                            + text.lines().findFirst().orElse(""));
                }
            });
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temporary directory left behind is harmless
            }
        }
    }

    /** @param args ignored */
    public static void main(String[] args) {
        run();
    }
}
