package dev.asyncio;

import java.util.ArrayList;
import java.util.List;

/** Runs a test coroutine on a fresh loop with an auto-jumping virtual clock; fails on errors reported to the handler. */
final class VirtualLoops {
    private VirtualLoops() {
    }

    static <T> T run(Coroutine<T> main) {
        return run(false, main);
    }

    static void run(VoidCoroutine main) {
        run(false, main.asCoroutine());
    }

    static <T> T run(boolean eager, Coroutine<T> main) {
        List<ExceptionContext> reported = new ArrayList<>();
        T value;
        try (EventLoop loop = new EventLoop(new VirtualClock())) {
            loop.setExceptionHandler((l, c) -> reported.add(c));
            loop.setEagerTaskStart(eager);
            value = loop.runUntilComplete(main);
        }
        if (!reported.isEmpty()) {
            AssertionError e = new AssertionError("errors reported to the loop's exception handler: " + reported);
            reported.forEach(c -> {
                if (c.exception() != null) {
                    e.addSuppressed(c.exception());
                }
            });
            throw e;
        }
        return value;
    }

    static double now() {
        return Asyncio.getRunningLoop().time();
    }
}
