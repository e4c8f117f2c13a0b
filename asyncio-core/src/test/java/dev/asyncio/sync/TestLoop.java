package dev.asyncio.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.asyncio.Asyncio;
import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.ExceptionContext;
import dev.asyncio.Task;
import dev.asyncio.TimerHandle;
import dev.asyncio.VirtualClock;
import dev.asyncio.VoidCoroutine;
import java.util.ArrayList;
import java.util.List;

/**
 * asyncio's {@code IsolatedAsyncioTestCase} for these tests: runs a test body as the main coroutine of a
 * fresh loop on an auto-jumping virtual clock, then cancels and awaits what it left running (as
 * {@code asyncio.run}), closes the loop, and fails if anything was reported to the loop's exception
 * handler (a lost exception, a pending task, a failure during the clean-up).
 *
 * <p>A lost wake-up leaves the loop idle with no timer, which would hang the build: the body and the
 * clean-up each get a virtual year, after which the test fails instead.
 */
final class TestLoop {
    private static final double STUCK_AFTER_SECONDS = 365 * 86400.0;

    private TestLoop() {
    }

    static <T> T run(Coroutine<T> main) {
        List<ExceptionContext> reported = new ArrayList<>();
        EventLoop loop = new EventLoop(new VirtualClock());
        loop.setExceptionHandler((l, context) -> reported.add(context));
        T result;
        try {
            result = loop.runUntilComplete(() -> withinAYear("the test body", main));
        } finally {
            try {
                List<Task<?>> left = loop.allTasks();
                if (!left.isEmpty()) {
                    left.forEach(Task::cancel);
                    loop.runUntilComplete(() -> withinAYear("cancelling the tasks the test left running " + left,
                            () -> Asyncio.gatherReturnExceptions(left).await()));
                    for (Task<?> t : left) {
                        if (!t.isCancelled() && t.exception() != null) {
                            reported.add(ExceptionContext.of("exception while cancelling a left-over task", t.exception()));
                        }
                    }
                }
            } finally {
                loop.close();
            }
        }
        assertEquals(List.of(), reported, "reported to the loop's exception handler");
        return result;
    }

    static void run(VoidCoroutine main) {
        run(main.asCoroutine());
    }

    private static <T> T withinAYear(String what, Coroutine<T> body) throws Exception {
        Task<?> me = Asyncio.currentTask();
        boolean[] stuck = {false};
        TimerHandle watchdog = Asyncio.getRunningLoop().callLater(STUCK_AFTER_SECONDS, () -> {
            stuck[0] = true;
            me.cancel("stuck");
        });
        try {
            return body.call();
        } catch (RuntimeException e) {
            if (stuck[0]) {
                fail(what + " was still waiting after a virtual year with nothing left to run: a wake-up was lost", e);
            }
            throw e;
        } finally {
            watchdog.cancel();
        }
    }
}
