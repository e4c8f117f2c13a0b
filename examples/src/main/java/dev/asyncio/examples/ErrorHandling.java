package dev.asyncio.examples;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.gatherReturnExceptions;
import static dev.asyncio.Asyncio.sleep;
import static java.time.Duration.ofMillis;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Task;
import java.io.IOException;

/**
 * Error handling with try/catch inside coroutines: a task's exception reaches whoever awaits it as the
 * same object (checked or not); cancellation is a {@link CancelledError} a coroutine can catch to clean
 * up; {@code gatherReturnExceptions} collects failures as values.
 */
public final class ErrorHandling {
    private ErrorHandling() {
    }

    static String fetch(String url) throws IOException {
        sleep(ofMillis(100));
        if (url.contains("bad")) {
            throw new IOException("cannot reach " + url);
        }
        return "contents of " + url;
    }

    /** Runs the example. */
    public static void run() {
        Asyncio.run(() -> {
            try {
                fetch("https://bad.example");
            } catch (IOException e) {
                System.out.println("caught: " + e.getMessage());
            }

            Task<String> failing = createTask(() -> fetch("https://bad.example/task"));
            try {
                failing.await();
            } catch (Exception e) { // a checked exception is rethrown as it is: test its type
                System.out.println("task failed with " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }

            Task<Void> slow = createTask(() -> {
                try {
                    sleep(ofMillis(10_000));
                } catch (CancelledError e) {
                    System.out.println("slow task cancelled, cleaning up");
                    throw e;
                }
            });
            sleep(ofMillis(50));
            slow.cancel();
            System.out.println(gatherReturnExceptions(
                    createTask(() -> fetch("https://good.example")),
                    createTask(() -> fetch("https://bad.example/gathered")),
                    slow).await());
        });
    }

    /** @param args ignored */
    public static void main(String[] args) {
        run();
    }
}
