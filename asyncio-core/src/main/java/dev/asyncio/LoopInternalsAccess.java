package dev.asyncio;

import java.util.function.Consumer;

/**
 * The package-private parts of this package that the bridge SPI ({@code dev.asyncio.internal.LoopInternals})
 * needs and the engine cannot give, since they are about tasks and futures: found there by name through a
 * private method-handle lookup (same module, so no {@code opens}), so that this package does not depend on
 * {@code dev.asyncio.internal}.
 */
final class LoopInternalsAccess {
    private LoopInternalsAccess() {
    }

    /** @return the task whose step the calling thread runs, or {@code null}; any thread */
    static Task<?> currentTaskOrNull() {
        EventLoop loop = EventLoopEngine.runningLoop();
        return loop == null ? null : loop.engine.currentTask;
    }

    /** @return the task whose step holds {@code loop}'s turn, or {@code null}; a racy read, any thread */
    static Task<?> currentTaskOf(EventLoop loop) {
        return loop.engine.currentTask;
    }

    /** {@link Future#addDoneCallbackFromAnyThread}, erased for the method handle. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void addDoneCallbackFromAnyThread(Future future, Consumer callback) {
        future.addDoneCallbackFromAnyThread(callback);
    }
}
