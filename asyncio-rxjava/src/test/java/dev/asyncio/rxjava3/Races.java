package dev.asyncio.rxjava3;

/** Test helper for bounded races: busy-waits so that the other side gets a chance at every point. */
final class Races {
    private Races() {
    }

    static void spinFor(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
