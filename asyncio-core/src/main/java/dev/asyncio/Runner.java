package dev.asyncio;

import dev.asyncio.engine.LoopRegistry;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * asyncio's {@code Runner}: one loop for several top-level {@link #run} calls, closed as
 * {@link Asyncio#run} closes it.
 *
 * <pre>{@code
 * try (Runner runner = new Runner()) {
 *     runner.run(() -> connect());
 *     runner.run(() -> serve());
 * }
 * }</pre>
 *
 * <p>All {@code run} calls share one {@link Context}, so a {@link ContextVar} set in one is seen by the
 * next. {@link #close()} cancels the tasks left over, runs the loop until they have finished, reports
 * any of them that failed while cleaning up ("unhandled exception during asyncio.run() shutdown"), lets
 * the default executor's jobs finish ({@link EventLoop#shutdownDefaultExecutor(java.time.Duration)}) and
 * closes the loop. While it is open, the runner's loop is the calling thread's current loop
 * ({@link Asyncio#getEventLoop()}).
 *
 * <p>Not thread-safe: use a runner from one thread at a time.
 */
public final class Runner implements AutoCloseable {
    /** asyncio's {@code constants.THREAD_JOIN_TIMEOUT}. */
    private static final java.time.Duration SHUTDOWN_EXECUTOR_TIMEOUT = java.time.Duration.ofSeconds(300);
    private final Supplier<EventLoop> loopFactory;
    private final Boolean debug;
    private EventLoop loop;
    private Context context;
    private boolean setAsCurrent;
    private boolean closed;

    /**
     * A runner on a new loop with the system clock; debug mode follows the system property
     * {@code dev.asyncio.debug}, as for every new {@link EventLoop}.
     */
    public Runner() {
        this(EventLoop::new, null);
    }

    /**
     * @param debug whether the loop runs in debug mode, whatever {@code -Ddev.asyncio.debug} says
     */
    public Runner(boolean debug) {
        this(EventLoop::new, debug);
    }

    /**
     * @param loopFactory makes the runner's loop, e.g. {@code () -> new EventLoop(new VirtualClock())}
     * @param debug whether the loop runs in debug mode, or {@code null} to leave the loop's setting (a
     *     new {@link EventLoop} follows {@code -Ddev.asyncio.debug})
     */
    public Runner(Supplier<EventLoop> loopFactory, Boolean debug) {
        this.loopFactory = Objects.requireNonNull(loopFactory, "loopFactory");
        this.debug = debug;
    }

    /**
     * Runs {@code coroutine} as a task on the runner's loop until it is done.
     *
     * <p><b>Interrupts</b> of the calling thread are asyncio's Ctrl-C handling in {@code Runner.run}:
     * the first one cancels the main task, which then unwinds as usual (its {@code finally} blocks run,
     * what it awaits is cancelled); if it ends cancelled, this method throws a {@link CancelledError}
     * whose message lists the tasks as they were when the interrupt came (asyncio raises
     * {@code KeyboardInterrupt}). A second interrupt while it unwinds stops the loop
     * ({@link EventLoop#runForever()}). Either way the interrupt flag is set again when this method
     * returns. A JUnit timeout thus ends a stuck {@code Asyncio.run} test with a failure that shows
     * where each task was waiting.
     *
     * @param coroutine the top-level coroutine
     * @param <T> its result type
     * @return its result
     * @throws CancelledError if the main task was cancelled, by an interrupt among others
     * @throws IllegalStateException if called from a running loop or after {@link #close()}
     */
    public <T> T run(Coroutine<T> coroutine) {
        return run(coroutine, null);
    }

    /**
     * Runs {@code coroutine} as a task in {@code context} until it is done (asyncio's
     * {@code Runner.run(coro, context=ctx)}); see {@link #run(Coroutine)}. The task runs in
     * {@code context} itself, so what it sets there is seen by the caller's later {@code context.run}
     * or by the next {@code run} given the same context.
     *
     * @param coroutine the top-level coroutine
     * @param context the context to run it in, or {@code null} for the runner's own (shared by every
     *     {@code run} call without a context)
     * @param <T> its result type
     * @return its result
     * @throws CancelledError if the main task was cancelled, by an interrupt among others
     * @throws IllegalStateException if called from a running loop or after {@link #close()}
     */
    public <T> T run(Coroutine<T> coroutine, Context context) {
        Objects.requireNonNull(coroutine, "coroutine");
        if (EventLoopEngine.runningLoop() != null) {
            throw new IllegalStateException("Runner.run() cannot be called from a running event loop; "
                    + "inside a coroutine, await the work or createTask it");
        }
        EventLoop l = getLoop();
        Task<T> task = l.createTask(coroutine, null, context != null ? context : this.context);
        l.engine.turn.onNextHostInterrupt(() -> task.cancel("the thread running Asyncio.run() was interrupted"));
        try {
            return l.runUntilComplete(task);
        } catch (CancelledError e) {
            String dump = l.engine.turn.interruptDump();
            if (dump != null && task.isCancelled()) {
                CancelledError interrupted = new CancelledError("Asyncio.run() was interrupted: its main task "
                        + task.getName() + " was cancelled; the interrupt flag is set again. Tasks when interrupted:\n" + dump);
                interrupted.initCause(e);
                throw interrupted;
            }
            throw e;
        }
    }

    /**
     * Runs {@code coroutine} as a task on the runner's loop until it is done.
     *
     * @param coroutine the top-level coroutine
     */
    public void run(VoidCoroutine coroutine) {
        run(coroutine.asCoroutine(), null);
    }

    /**
     * Runs {@code coroutine} as a task in {@code context} until it is done; see
     * {@link #run(Coroutine, Context)}.
     *
     * @param coroutine the top-level coroutine
     * @param context the context to run it in, or {@code null} for the runner's own
     */
    public void run(VoidCoroutine coroutine, Context context) {
        run(coroutine.asCoroutine(), context);
    }

    /**
     * @return the runner's loop, created on first use
     * @throws IllegalStateException after {@link #close()}
     */
    public EventLoop getLoop() {
        if (closed) {
            throw new IllegalStateException("Runner is closed");
        }
        if (loop == null) {
            loop = loopFactory.get();
            if (debug != null) {
                loop.setDebug(debug);
            }
            context = Context.copyCurrent();
            if (LoopRegistry.threadLoop() == null) {
                Asyncio.setEventLoop(loop);
                setAsCurrent = true;
            }
        }
        return loop;
    }

    /**
     * Cancels and awaits the leftover tasks, shuts the default executor down and waits (up to 300 s,
     * as asyncio) for its threads to finish their jobs, then closes the loop. Idempotent.
     */
    @Override
    public void close() {
        if (closed || loop == null) {
            closed = true;
            return;
        }
        // The cleanup below runs the loop: an interrupt left over from run() would stop it at once. A new
        // interrupt during the cleanup still stops it, and loop.close() then unwinds what is left.
        boolean interrupted = Thread.interrupted();
        try {
            cancelAllTasks(loop);
            if (loop.engine.offTurn.hasDefaultExecutor()) {
                // asyncio's shutdown_default_executor(THREAD_JOIN_TIMEOUT): let toThread jobs finish first.
                loop.runUntilComplete(() -> loop.shutdownDefaultExecutor(SHUTDOWN_EXECUTOR_TIMEOUT));
            }
        } finally {
            closed = true;
            if (setAsCurrent && LoopRegistry.threadLoop() == loop) {
                Asyncio.setEventLoop(null);
            }
            loop.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** asyncio's {@code runners._cancel_all_tasks}. */
    static void cancelAllTasks(EventLoop loop) {
        List<Task<?>> left = loop.allTasks();
        if (left.isEmpty()) {
            return;
        }
        for (Task<?> t : left) {
            t.cancel();
        }
        loop.runUntilComplete(Gather.of(left, true));
        for (Task<?> t : left) {
            if (t.isCancelled()) {
                continue;
            }
            Throwable e = t.exception();
            if (e != null) {
                loop.callExceptionHandler(new ExceptionContext(
                        "unhandled exception during asyncio.run() shutdown", e, t, null));
            }
        }
    }
}
