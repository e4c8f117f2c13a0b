package dev.asyncio.test;

import dev.asyncio.VoidCoroutine;
import java.util.Objects;

/**
 * {@code runTest}, kotlinx's entry point for tests without the {@link AsyncioTest} annotation:
 *
 * <pre>{@code
 * @Test
 * void timesOut() {
 *     runTest(testLoop -> {
 *         assertThrows(TimeoutError.class, () -> waitFor(neverDone, Duration.ofHours(1)));
 *         assertEquals(Duration.ofHours(1), testLoop.currentTime());
 *     });
 * }
 * }</pre>
 *
 * For other settings use {@code TestLoop.builder()...runTest(body)}.
 */
public final class TestLoops {
    private TestLoops() {
    }

    /**
     * Runs {@code body} as a coroutine on a new {@link TestLoop} with the default settings
     * ({@link TimeMode#AUTO_JUMP}, 60 s timeout, leak checks, one clock), then closes it; see
     * {@link TestLoop.Builder#runTest}. Call it from the test's thread, not from a coroutine.
     *
     * @param body the test, given its loop
     */
    public static void runTest(TestBody body) {
        TestLoop.builder().runTest(body);
    }

    /**
     * Runs {@code body} as a coroutine on a new {@link TestLoop} with the default settings; see
     * {@link #runTest(TestBody)}.
     *
     * @param body the test
     */
    public static void runTest(VoidCoroutine body) {
        Objects.requireNonNull(body, "body");
        TestLoop.builder().runTest(testLoop -> body.run());
    }
}
