package dev.asyncio.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.asyncio.Asyncio;
import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.ExceptionContext;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.TimerHandle;
import dev.asyncio.VirtualClock;
import dev.asyncio.VoidCoroutine;
import java.util.ArrayList;
import java.util.List;

/**
 * asyncio's {@code IsolatedAsyncioTestCase} for these tests (not the test kit's {@code TestLoop}, which
 * is another thing): runs a test body as a task on a fresh loop with an auto-jumping virtual clock,
 * then cancels and awaits what it left running (as {@code asyncio.run}), closes the loop, and fails if anything was reported to the loop's exception
 * handler (a lost exception, a pending task, a failure during the clean-up). Shared by the sync and
 * queues tests.
 *
 * <p>A lost wake-up leaves the loop idle with no timer, which would hang the build: the body and the
 * clean-up each get a virtual year, after which the test fails instead.
 */
public final class IsolatedLoop {
    public static final double A_YEAR = 365 * 86400.0;

    private IsolatedLoop() {
    }

    public static <T> T run(Coroutine<T> main) {
        List<ExceptionContext> reported = new ArrayList<>();
        EventLoop loop = new EventLoop(new VirtualClock());
        loop.setExceptionHandler((l, context) -> reported.add(context));
        T result;
        try {
            result = loop.runUntilComplete(() -> awaitWithin(Asyncio.createTask(main, "test body"), A_YEAR, "the test body"));
        } finally {
            try {
                List<Task<?>> left = loop.allTasks();
                if (!left.isEmpty()) {
                    left.forEach(Task::cancel);
                    Future<List<Object>> all = loop.runUntilComplete(() -> {
                        Future<List<Object>> gathered = Asyncio.gatherReturnExceptions(left);
                        doneWithin(gathered, A_YEAR);
                        return gathered;
                    });
                    if (!all.isDone()) {
                        reported.add(ExceptionContext.of("left-over tasks ignored cancellation for a virtual year: " + left, null));
                    }
                    for (Task<?> t : left) {
                        if (t.isDone() && !t.isCancelled() && t.exception() != null) {
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

    public static void run(VoidCoroutine main) {
        run(main.asCoroutine());
    }

    /**
     * Awaits {@code f} for at most {@code seconds} of (virtual) time, without cancelling it, and fails
     * the test if it is still pending then: a lost wake-up would otherwise leave the loop idle for ever.
     */
    public static <T> T awaitWithin(Future<T> f, double seconds, String what) {
        if (!doneWithin(f, seconds)) {
            fail(what + " was still waiting after " + seconds + " s of virtual time with nothing left to run: "
                    + "a wake-up or a permit was lost");
        }
        return f.result();
    }

    /** Suspends until {@code f} is done or {@code seconds} have passed; tells which. */
    public static boolean doneWithin(Future<?> f, double seconds) {
        EventLoop loop = Asyncio.getRunningLoop();
        Future<Void> either = loop.createFuture();
        f.addDoneCallback(x -> {
            if (!either.isDone()) {
                either.setResult(null);
            }
        });
        TimerHandle timer = loop.callLater(seconds, () -> {
            if (!either.isDone()) {
                either.setResult(null);
            }
        });
        try {
            either.await();
        } finally {
            timer.cancel();
        }
        return f.isDone();
    }
}
