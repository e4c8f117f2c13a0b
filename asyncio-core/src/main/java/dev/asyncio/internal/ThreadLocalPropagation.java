package dev.asyncio.internal;

import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The bridges' side of the hook through which thread-local values follow a coroutine, as asyncio's
 * {@code contextvars} do: a bridge module (asyncio-reactor, with Micrometer's context-propagation library)
 * installs a capture function here; the core calls it when a task is created (on the creating thread, the
 * moment asyncio copies the context) and when {@code toThread} work is submitted, and sets the captured
 * values around the task's body on its own virtual thread, or around the job on the executor's thread.
 *
 * <p>The core's own hook is in its engine package, which no other module reads; this class installs an
 * adapter of the bridge's function there. Nothing is carried into loop callbacks, which run on whichever
 * thread holds the turn, and nothing is captured in one. Thread-safe. Not part of the public API: this
 * package is exported only to the project's own modules.
 */
public final class ThreadLocalPropagation {
    private static volatile Supplier<ThreadLocalSnapshot> capture;

    private ThreadLocalPropagation() {
    }

    /**
     * Installs the capture function used from now on, replacing the previous one.
     *
     * @param function called on the creating thread, returns the values to carry (or {@code null} for
     *     none); {@code null} to install none
     * @return the function installed before, or {@code null}
     */
    public static synchronized Supplier<ThreadLocalSnapshot> install(Supplier<ThreadLocalSnapshot> function) {
        Supplier<ThreadLocalSnapshot> previous = capture;
        capture = function;
        dev.asyncio.engine.ThreadLocalPropagation.install(function == null ? null : () -> toEngine(function.get()));
        return previous;
    }

    /** @return the capture function installed, or {@code null} */
    public static Supplier<ThreadLocalSnapshot> installed() {
        return capture;
    }

    /**
     * Whether the calling thread holds a loop's turn without running a task's step: it runs a callback
     * ({@code callSoon}, a done callback, a bridge's signal), whose thread's values belong to another task.
     *
     * @return {@code true} in a loop callback
     */
    public static boolean runsLoopCallback() {
        return dev.asyncio.engine.ThreadLocalPropagation.runsLoopCallback();
    }

    /**
     * Runs {@code work} on the calling thread with {@code snapshot}'s values set, then puts back what they
     * replaced.
     *
     * @param snapshot the values, or {@code null} to run {@code work} as it is
     * @param work the work
     * @param <T> its result type
     * @return what {@code work} returned
     * @throws Exception what {@code work} threw
     */
    public static <T> T callWith(ThreadLocalSnapshot snapshot, Callable<T> work) throws Exception {
        return dev.asyncio.engine.ThreadLocalPropagation.callWith(toEngine(snapshot), work);
    }

    private static dev.asyncio.engine.ThreadLocalPropagation.Snapshot toEngine(ThreadLocalSnapshot snapshot) {
        return snapshot == null ? null : () -> snapshot.restore()::close;
    }
}
