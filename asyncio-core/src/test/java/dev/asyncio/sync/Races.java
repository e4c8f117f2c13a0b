package dev.asyncio.sync;

import static org.junit.jupiter.api.Assertions.fail;

import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import dev.asyncio.TimerHandle;
import java.util.Random;

/** Helpers for the randomized race tests: bounded virtual waits and random yields. */
final class Races {
    private Races() {
    }

    /**
     * Awaits {@code f}, failing the test if it is not done after {@code seconds} of (virtual) time:
     * a lost wake-up would otherwise leave the loop idle for ever.
     */
    static <T> T within(double seconds, Future<T> f, String what) {
        boolean[] stuck = {false};
        TimerHandle timer = Asyncio.getRunningLoop().callLater(seconds, () -> {
            if (!f.isDone()) {
                stuck[0] = true;
                f.cancel("stuck");
            }
        });
        try {
            return f.await();
        } catch (RuntimeException e) {
            if (stuck[0]) {
                fail(what + " did not finish within " + seconds + " s of virtual time: a wake-up was lost");
            }
            throw e;
        } finally {
            timer.cancel();
        }
    }

    /** Yields once, or sleeps 1-3 ms of virtual time: moves a coroutine to a random point of the schedule. */
    static void jitter(Random rnd) {
        int r = rnd.nextInt(4);
        Asyncio.sleep(r == 0 ? 0.0 : r * 0.001);
    }
}
