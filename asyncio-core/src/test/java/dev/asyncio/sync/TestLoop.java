package dev.asyncio.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.asyncio.Asyncio;
import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.ExceptionContext;
import dev.asyncio.Runner;
import dev.asyncio.Task;
import dev.asyncio.TimerHandle;
import dev.asyncio.VirtualClock;
import dev.asyncio.VoidCoroutine;
import java.util.ArrayList;
import java.util.List;

/**
 * asyncio's {@code IsolatedAsyncioTestCase} for these tests: runs a test body as the main coroutine of a
 * fresh loop on an auto-jumping virtual clock, cancels what it leaves running, closes the loop, and fails
 * if anything was reported to the loop's exception handler (a lost exception, a pending task).
 * A body stuck for ever (a lost wake-up leaves the loop idle with no timer) is cancelled after a
 * virtual year and fails the test instead of hanging it.
 */
final class TestLoop {
    private static final double STUCK_AFTER_SECONDS = 365 * 86400.0;

    private TestLoop() {
    }

    static <T> T run(Coroutine<T> main) {
        List<ExceptionContext> reported = new ArrayList<>();
        boolean[] stuck = {false};
        T result;
        try (Runner runner = new Runner(() -> {
            EventLoop loop = new EventLoop(new VirtualClock());
            loop.setExceptionHandler((l, context) -> reported.add(context));
            return loop;
        }, null)) {
            result = runner.run(() -> {
                Task<?> body = Asyncio.currentTask();
                TimerHandle watchdog = Asyncio.getRunningLoop().callLater(STUCK_AFTER_SECONDS, () -> {
                    stuck[0] = true;
                    body.cancel("stuck");
                });
                try {
                    return main.call();
                } finally {
                    watchdog.cancel();
                }
            });
        } catch (RuntimeException e) {
            if (stuck[0]) {
                fail("the test body was still waiting after a virtual year with nothing left to run: a wake-up was lost", e);
            }
            throw e;
        }
        assertEquals(List.of(), reported, "reported to the loop's exception handler");
        return result;
    }

    static void run(VoidCoroutine main) {
        run(main.asCoroutine());
    }
}
