package dev.asyncio.test;

/**
 * Attached as a suppressed exception to the failure of a test whose ready order was shuffled
 * ({@link AsyncioTest#shuffleReadyOrder()}), so that the report says how to replay the same order.
 */
final class ShuffledOrderSeed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ShuffledOrderSeed(long seed) {
        super("the callbacks ready in each loop iteration ran in an order shuffled with seed " + seed
                + "L; to replay it use @AsyncioTest(shuffleReadyOrder = true, shuffleSeed = " + seed
                + "L) or TestLoop.builder().shuffleReadyOrder(" + seed + "L)", null, false, false);
    }
}
