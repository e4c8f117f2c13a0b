package dev.asyncio.examples;

import static dev.asyncio.Asyncio.gather;
import static dev.asyncio.Asyncio.sleep;
import static java.time.Duration.ofSeconds;

import dev.asyncio.Asyncio;
import dev.asyncio.Coroutine;

/**
 * The tutorials' first program: two {@code sayHello} coroutines gathered, so that "Hello Hello World
 * World" takes one second, not two.
 *
 * <pre>
 * async def say_hello():
 *     print("Hello"); await asyncio.sleep(1); print("World")
 * async def main():
 *     await asyncio.gather(say_hello(), say_hello())
 * asyncio.run(main())
 * </pre>
 */
public final class HelloWorld {
    private HelloWorld() {
    }

    static Coroutine<Void> sayHello() {
        return () -> {
            System.out.println("Hello");
            sleep(ofSeconds(1));
            System.out.println("World");
            return null;
        };
    }

    /**
     * The program's {@code main()} coroutine: says hello twice concurrently and prints how long that took in
     * the loop's time ({@code loop.time()}), one second rather than two.
     *
     * @return the coroutine, to run with {@code Asyncio.run} (or on any loop, e.g. one with a virtual clock)
     */
    static Coroutine<Void> main() {
        return () -> {
            double start = Asyncio.getRunningLoop().time();
            gather(sayHello(), sayHello()).await();
            double took = Asyncio.getRunningLoop().time() - start;
            System.out.printf("took %.1f s%n", took);
            return null;
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
