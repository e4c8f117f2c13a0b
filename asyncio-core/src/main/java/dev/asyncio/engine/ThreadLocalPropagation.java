package dev.asyncio.engine;

import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The hook through which thread-local values follow a coroutine, as asyncio's {@code contextvars} do:
 * a bridge module (asyncio-reactor, with Micrometer's context-propagation library) installs a capture
 * function; the core calls it when a task is created (on the creating thread, the moment asyncio copies
 * the context) and when {@code toThread} work is submitted, and sets the captured values around the task's
 * body on its own virtual thread, or around the job on the executor's thread.
 *
 * <p>The core needs nothing else: a task's body runs on a virtual thread of its own from its first step
 * to its end, so values set there survive its suspensions and are seen by no other task. Nothing is
 * carried into loop callbacks, which run on whichever thread holds the turn; and nothing is captured in
 * one (a task created by a callback starts with none).
 *
 * <p>With nothing installed (the default) capturing costs one volatile read and returns {@code null}.
 * Thread-safe. The bridges reach it through {@code dev.asyncio.internal.LoopInternals}, since this package
 * is not exported.
 */
public final class ThreadLocalPropagation {
    private static volatile Supplier<Snapshot> capture;

    /**
     * Thread-local values captured on one thread, to be set on another: what a task or a {@code toThread}
     * job carries from the thread that created it. Python has no counterpart (there every ambient value is
     * a {@code ContextVar}); on the JVM libraries keep theirs in {@link ThreadLocal}s (SLF4J's MDC, a
     * tracer's current span), and those must follow the coroutine as its {@code ContextVar}s do.
     */
    @FunctionalInterface
    public interface Snapshot {
        /**
         * Sets the captured values on the calling thread.
         *
         * @return what puts back the values it replaced; run it on the same thread, once the work is over
         */
        Runnable restore();
    }

    private ThreadLocalPropagation() {
    }

    /**
     * Installs the capture function used from now on, replacing the previous one.
     *
     * @param function called on the creating thread, returns the values to carry (or {@code null} for
     *     none); {@code null} to install none
     * @return the function installed before, or {@code null}
     */
    public static Supplier<Snapshot> install(Supplier<Snapshot> function) {
        Supplier<Snapshot> previous = capture;
        capture = function;
        return previous;
    }

    /** @return the capture function installed, or {@code null} */
    public static Supplier<Snapshot> installed() {
        return capture;
    }

    /**
     * Captures the calling thread's values with the installed function; captures nothing in a loop
     * callback (see {@link #runsLoopCallback()}).
     *
     * @return the snapshot, or {@code null} if no function is installed, the caller is a loop callback,
     *     or the function captured nothing
     */
    public static Snapshot capture() {
        Supplier<Snapshot> function = capture;
        return function == null || runsLoopCallback() ? null : function.get();
    }

    /**
     * Whether the calling thread holds a loop's turn without running a task's step: it runs a callback
     * ({@code callSoon}, a done callback, a bridge's signal). The loop runs callbacks on whichever thread
     * holds the turn, often the virtual thread of the task that just suspended, so that thread's values are
     * that task's, not the callback's: a task or a subscription started there must not inherit them.
     *
     * @return {@code true} in a loop callback
     */
    public static boolean runsLoopCallback() {
        LoopEngine running = LoopEngine.running();
        return running != null && !running.runsTask();
    }

    /**
     * Runs {@code work} on the calling thread with {@code snapshot}'s values set, then puts back what they
     * replaced.
     *
     * @param snapshot what {@link #capture()} returned, or {@code null} to run {@code work} as it is
     * @param work the work
     * @param <T> its result type
     * @return what {@code work} returned
     * @throws Exception what {@code work} threw
     */
    public static <T> T callWith(Snapshot snapshot, Callable<T> work) throws Exception {
        if (snapshot == null) {
            return work.call();
        }
        Runnable putBack = snapshot.restore();
        try {
            return work.call();
        } finally {
            putBack.run();
        }
    }
}
