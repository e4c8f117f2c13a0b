package dev.asyncio.examples;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.sleep;
import static java.time.Duration.ofMillis;

import dev.asyncio.Asyncio;
import dev.asyncio.Task;
import dev.asyncio.VoidCoroutine;
import java.util.Map;

/**
 * The tutorials' "fetch data while printing numbers": {@code fetchData} and {@code printNumbers} run
 * as two tasks created with {@code createTask}; the numbers appear while the data is being fetched.
 */
public final class FetchAndPrint {
    private FetchAndPrint() {
    }

    static Map<String, Integer> fetchData() {
        System.out.println("Start fetching");
        sleep(ofMillis(1000)); // stands for a network call
        System.out.println("Done fetching");
        return Map.of("data", 1);
    }

    static void printNumbers() {
        for (int i = 0; i < 5; i++) {
            System.out.println(i);
            sleep(ofMillis(250));
        }
    }

    /**
     * The program's {@code main()} coroutine: fetches while printing numbers.
     *
     * @return the coroutine, to run with {@code Asyncio.run} (or on any loop, e.g. one with a virtual clock)
     */
    static VoidCoroutine main() {
        return () -> {
            Task<Map<String, Integer>> fetching = createTask(FetchAndPrint::fetchData);
            Task<Void> printing = createTask(FetchAndPrint::printNumbers);
            Map<String, Integer> value = fetching.await();
            System.out.println(value);
            printing.await();
        };
    }

    /** Runs the example. */
    public static void run() {
        Asyncio.run(main());
    }

    /** @param args ignored */
    public static void main(String[] args) {
        run();
    }
}
