package dev.asyncio.examples;

import static dev.asyncio.Asyncio.sleep;
import static java.time.Duration.ofMillis;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * The older style of the tutorials: the loop is fetched and driven by hand.
 *
 * <pre>
 * loop = asyncio.get_event_loop()
 * loop.run_until_complete(main())
 * loop.close()
 * </pre>
 */
public final class SayAfter {
    private SayAfter() {
    }

    static void sayAfter(Duration delay, String what) {
        sleep(delay);
        System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + what);
    }

    /** Runs the example. */
    public static void run() {
        Asyncio.setEventLoop(Asyncio.newEventLoop());
        EventLoop loop = Asyncio.getEventLoop();
        try {
            loop.runUntilComplete(() -> {
                System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " started");
                Task<Void> first = loop.createTask(() -> sayAfter(ofMillis(500), "hello"));
                Task<Void> second = loop.createTask(() -> sayAfter(ofMillis(1000), "world"));
                first.await();
                second.await();
                System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " finished");
            });
        } finally {
            loop.close();
            Asyncio.setEventLoop(null);
        }
    }

    /** @param args ignored */
    public static void main(String[] args) {
        run();
    }
}
