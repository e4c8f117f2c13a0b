package dev.asyncio.sync;

import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import java.util.Random;

/** Helpers for the randomized race tests: bounded virtual waits and random yields. */
final class Races {
    private Races() {
    }

    /** Awaits {@code f}, failing the test if it is not done after {@code seconds} of virtual time. */
    static <T> T within(double seconds, Future<T> f, String what) {
        return IsolatedLoop.awaitWithin(f, seconds, what);
    }

    /** Yields once, or sleeps 1-3 ms of virtual time: moves a coroutine to a random point of the schedule. */
    static void jitter(Random rnd) {
        int r = rnd.nextInt(4);
        Asyncio.sleep(r == 0 ? 0.0 : r * 0.001);
    }
}
