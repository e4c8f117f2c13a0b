package dev.asyncio;

import dev.asyncio.engine.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * asyncio's event loop ({@code BaseEventLoop}): runs callbacks, timers and coroutine steps one at a time. This
 * class is the public contract, as asyncio's {@code events.py}; the machinery behind it (the turn hand-off
 * between task threads, idling, the loop's parts) is described in docs/architecture.md.
 *
 * <p><b>Threads.</b> Each task's coroutine runs on a virtual thread of its own, but only one thread at a time
 * holds the loop's <em>turn</em> and runs its code, and each hand-over is a happens-before edge: coroutines and
 * callbacks of one loop share state without locks, as in asyncio. Loop methods must be called on the turn, or
 * from any one thread while the loop is not running; elsewhere they throw {@link IllegalStateException}
 * (always, not only in debug mode). {@link #callSoonThreadsafe}, {@link #runCoroutineThreadsafe},
 * {@link #submit}, {@link #stop()} and the read-only queries may be called from any thread.
 *
 * <p><b>Order</b> is asyncio's {@code _run_once}: due timers become ready (by deadline, then in scheduling
 * order); what is ready at the start of an iteration runs in FIFO order, what it schedules in the next one;
 * with nothing ready the loop waits for its next deadline or a threadsafe call.
 *
 * <p><b>Time</b> comes from the {@link Clock} given at construction: the system clock, or a virtual clock.
 */
public final class EventLoop implements AutoCloseable {
    /** The machinery behind these methods, and the loop's parts for the rest of the package: see its class comment. */
    final EventLoopEngine engine;

    /**
     * Creates a loop on the system clock, in the default {@link CarrierMode}. Every constructor starts the loop
     * in debug mode if the system property {@code dev.asyncio.debug} is {@code true}; see {@link #setDebug}.
     */
    public EventLoop() {
        this(Clock.system());
    }

    /**
     * Creates a loop on {@code clock}, in the default {@link CarrierMode}.
     *
     * @param clock the loop's time source, e.g. a {@link VirtualClock} in tests
     */
    public EventLoop(Clock clock) {
        this(clock, CarrierMode.defaultMode());
    }

    /**
     * Creates a loop on {@code clock} in the given mode.
     *
     * @param clock the loop's time source
     * @param mode how tasks' virtual threads are scheduled
     * @throws IllegalStateException if {@code mode} is {@link CarrierMode#LOOP_CARRIER} and
     *     {@link CarrierMode#loopCarrierAvailable()} is {@code false} (e.g. the JVM lacks
     *     {@code --add-opens java.base/java.lang=ALL-UNNAMED}); the message says why
     */
    public EventLoop(Clock clock, CarrierMode mode) {
        this.engine = new EventLoopEngine(this, clock, mode);
    }

    /**
     * Schedules {@code callback} to run in the next iteration, in FIFO order with other callbacks
     * (asyncio's {@code call_soon}), in a copy of the current {@link Context}.
     *
     * @param callback the code to run on the loop's turn; an exception it throws goes to the exception handler
     * @return a handle that can cancel it
     * @throws IllegalStateException off the loop's turn, or if the loop is closed
     */
    public Handle callSoon(Runnable callback) {
        return callSoon(callback, null);
    }

    /**
     * Schedules {@code callback} to run in the next iteration, in {@code context}: it runs with that context as
     * the current one, and its {@link ContextVar#set} calls stay in it, as with asyncio's {@code call_soon(cb, context=ctx)}.
     *
     * @param callback the code to run on the loop's turn
     * @param context the context to run it in, or {@code null} for a copy of the current one
     * @return a handle that can cancel it
     * @throws IllegalStateException off the loop's turn, or if the loop is closed
     */
    public Handle callSoon(Runnable callback, Context context) {
        return engine.callSoon(callback, context);
    }

    /**
     * Schedules {@code callback} after {@code delay} (asyncio's {@code call_later}). A zero or negative
     * delay means "as soon as possible", in a later iteration than {@link #callSoon}.
     *
     * @param delay how long to wait, on the loop's clock
     * @param callback the code to run on the loop's turn
     * @return a handle that can cancel it
     * @throws IllegalStateException off the loop's turn, or if the loop is closed
     */
    public TimerHandle callLater(Duration delay, Runnable callback) {
        return callAtNanos(Durations.saturatedAdd(timeNanos(), Durations.toNanosSaturated(delay)), callback);
    }

    /**
     * Schedules {@code callback} after {@code delaySeconds}, as asyncio's {@code call_later(delay, cb)}.
     *
     * @param delaySeconds seconds to wait; negative means "as soon as possible"
     * @param callback the code to run on the loop's turn
     * @return a handle that can cancel it
     * @throws IllegalArgumentException if {@code delaySeconds} is NaN
     * @throws IllegalStateException off the loop's turn, or if the loop is closed
     */
    public TimerHandle callLater(double delaySeconds, Runnable callback) {
        long nanos = Durations.secondsToNanos(delaySeconds, "callLater delay");
        return callAtNanos(Durations.saturatedAdd(timeNanos(), nanos), callback);
    }

    /**
     * Schedules {@code callback} at loop time {@code whenSeconds} (asyncio's {@code call_at}), compared
     * with {@link #time()}.
     *
     * @param whenSeconds the deadline in seconds on the loop's clock
     * @param callback the code to run on the loop's turn
     * @return a handle that can cancel it
     * @throws IllegalArgumentException if {@code whenSeconds} is NaN
     * @throws IllegalStateException off the loop's turn, or if the loop is closed
     */
    public TimerHandle callAt(double whenSeconds, Runnable callback) {
        return callAtNanos(Durations.secondsToNanos(whenSeconds, "callAt time"), callback);
    }

    /**
     * Schedules {@code callback} at {@code whenNanos} on the loop's clock ({@link #timeNanos()}).
     *
     * @param whenNanos the deadline in nanoseconds
     * @param callback the code to run on the loop's turn
     * @return a handle that can cancel it
     * @throws IllegalStateException off the loop's turn, or if the loop is closed
     */
    public TimerHandle callAtNanos(long whenNanos, Runnable callback) {
        return engine.callAt(whenNanos, callback);
    }

    /**
     * Schedules {@code callback} from any thread (asyncio's {@code call_soon_threadsafe}) and wakes the
     * loop if it is waiting. It runs in a later iteration, in a copy of the caller's context.
     *
     * @param callback the code to run on the loop's turn
     * @return a handle that can cancel it
     * @throws IllegalStateException if the loop is closed
     */
    public Handle callSoonThreadsafe(Runnable callback) {
        return callSoonThreadsafe(callback, null);
    }

    /**
     * Schedules {@code callback} from any thread to run in {@code context}, as asyncio's
     * {@code call_soon_threadsafe(cb, context=ctx)}: {@link #callSoonThreadsafe(Runnable)} with
     * {@link #callSoon(Runnable, Context)}'s context.
     *
     * @param callback the code to run on the loop's turn
     * @param context the context to run it in, or {@code null} for a copy of the caller's
     * @return a handle that can cancel it
     * @throws IllegalStateException if the loop is closed
     */
    public Handle callSoonThreadsafe(Runnable callback, Context context) {
        return engine.callSoonThreadsafe(callback, context);
    }

    /**
     * Submits a coroutine to this loop from any other thread (asyncio's {@code run_coroutine_threadsafe}).
     * Cancelling the returned future cancels the task. The future refuses a blocking {@code get()}/{@code join()}
     * on a loop's turn while it is pending (see {@link Future#toCompletableFuture()}).
     *
     * @param coroutine the coroutine to run as a task of this loop
     * @param <T> its result type
     * @return a future completed with the task's outcome
     * @throws IllegalStateException if the loop is closed, or if called on this loop's own turn (where
     *     {@link #createTask} is the way, and blocking on the result would deadlock)
     */
    public <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coroutine) {
        return engine.runCoroutineThreadsafe(coroutine);
    }

    /** @param <T> the result type
     *  @return a new pending future on this loop (asyncio's {@code create_future}) */
    public <T> Future<T> createFuture() {
        return new Future<>(this);
    }

    /**
     * Wraps {@code coroutine} in a task scheduled to start in the next iteration (asyncio's {@code loop.create_task}).
     *
     * @param coroutine the coroutine
     * @param <T> its result type
     * @return the task
     * @throws IllegalStateException off the loop's turn, or if the loop is closed
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        return createTask(coroutine, null, null);
    }

    /**
     * A task without a result; see {@link #createTask(Coroutine)}.
     *
     * @param coroutine the coroutine
     * @return the task
     */
    public Task<Void> createTask(VoidCoroutine coroutine) {
        return createTask(coroutine.asCoroutine(), null, null);
    }

    /**
     * Wraps {@code coroutine} in a task named {@code name}; see {@link #createTask(Coroutine)}.
     *
     * @param coroutine the coroutine
     * @param name the task's name, or {@code null} for "Task-N"
     * @param <T> its result type
     * @return the task
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        return createTask(coroutine, name, null);
    }

    /**
     * Wraps a coroutine without result in a task named {@code name}; see {@link #createTask(Coroutine)}.
     *
     * @param coroutine the coroutine
     * @param name the task's name, or {@code null} for "Task-N"
     * @return the task
     */
    public Task<Void> createTask(VoidCoroutine coroutine, String name) {
        return createTask(coroutine.asCoroutine(), name, null);
    }

    /**
     * Wraps {@code coroutine} in a named task running in {@code context}.
     *
     * @param coroutine the coroutine
     * @param name the task's name, or {@code null} for "Task-N"
     * @param context the context to run in, or {@code null} for a copy of the current one
     * @param <T> its result type
     * @return the task, scheduled to start in the next iteration
     * @throws IllegalStateException off the loop's turn, or if the loop is closed
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name, Context context) {
        return engine.createTask(coroutine, name, context, null);
    }

    /**
     * Wraps {@code coroutine} in a task, started eagerly or not whatever {@link #isEagerTaskStart()}
     * says (asyncio 3.14's {@code create_task(..., eager_start=...)}).
     *
     * <p><b>Eager start</b> (asyncio's {@code eager_task_factory}): called on the turn of a running loop, the
     * coroutine's first step runs right here, before this method returns, with the new task as
     * {@link Asyncio#currentTask()} and in its own context; the turn comes back to the caller at the task's
     * first suspension or end. A task that finishes without suspending is returned done and never scheduled.
     * Elsewhere (the loop is not running yet, or is closing) the task is scheduled as usual.
     *
     * @param coroutine the coroutine
     * @param name the task's name, or {@code null} for "Task-N"
     * @param context the context to run in, or {@code null} for a copy of the current one
     * @param eagerStart whether to run the first step now
     * @param <T> its result type
     * @return the task; done already if an eager first step finished it
     * @throws IllegalStateException off the loop's turn, or if the loop is closed
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine, String name, Context context, boolean eagerStart) {
        return engine.createTask(coroutine, name, context, eagerStart);
    }

    /**
     * Creates a task for {@code coroutine} from any thread (a Netty or Reactor thread serving a request, a
     * test's main thread, another loop), as kotlinx's {@code scope.launch}. On this loop's turn it is
     * {@link #createTask(Coroutine, String)}. From any other thread the task is created at once, in a copy of
     * the caller's {@link Context}, and joins the loop in a later iteration, as a {@link #callSoonThreadsafe}
     * callback would (while the loop is not running, in its next run). The task's methods are loop methods:
     * off the loop, observe it with {@link Future#toCompletableFuture()} (thread-safe, cancellation included)
     * or hand it to a bridge ({@code ReactorCoroutines.toMono}, a Spring controller's return value).
     *
     * @param coroutine the coroutine
     * @param name the task's name, or {@code null} for "Task-N"
     * @param <T> its result type
     * @return the task, pending
     * @throws IllegalStateException if the loop is closed
     */
    public <T> Task<T> submit(Coroutine<T> coroutine, String name) {
        return engine.submit(coroutine, name);
    }

    /**
     * {@link #submit(Coroutine, String)} with the default name.
     *
     * @param coroutine the coroutine
     * @param <T> its result type
     * @return the task, pending
     * @throws IllegalStateException if the loop is closed
     */
    public <T> Task<T> submit(Coroutine<T> coroutine) {
        return submit(coroutine, null);
    }

    /**
     * Makes every later {@link #createTask} start its coroutine eagerly (as asyncio's {@code eager_task_factory}
     * does; see {@link #createTask(Coroutine, String, Context, boolean)}).
     *
     * @param eager whether tasks start eagerly; {@code false} (the default) schedules them
     * @throws IllegalStateException off the loop's turn
     */
    public void setEagerTaskStart(boolean eager) {
        engine.setEagerTaskStart(eager);
    }

    /** @return whether {@link #createTask} starts coroutines eagerly ({@link #setEagerTaskStart}; {@code false} by default) */
    public boolean isEagerTaskStart() {
        return engine.isEagerTaskStart();
    }

    /** @return the tasks of this loop that are not done yet (asyncio's {@code all_tasks}) */
    public List<Task<?>> allTasks() {
        return engine.tasks.all();
    }

    /**
     * Runs the loop until {@code future} is done and returns its result (asyncio's {@code run_until_complete}).
     *
     * @param future a future or task of this loop
     * @param <T> the result type
     * @return the future's result
     * @throws IllegalStateException if the loop is running (nested call) or closed, or if
     *     {@link #stop()} ended the run before the future was done
     * @throws IllegalArgumentException if the future belongs to another loop
     */
    public <T> T runUntilComplete(Future<T> future) {
        return engine.runUntilComplete(future);
    }

    /**
     * Runs {@code coroutine} as a task until it is done; see {@link #runUntilComplete(Future)}.
     *
     * @param coroutine the coroutine
     * @param <T> its result type
     * @return its result
     */
    public <T> T runUntilComplete(Coroutine<T> coroutine) {
        return engine.runUntilComplete(coroutine);
    }

    /**
     * Runs {@code coroutine} as a task until it is done; see {@link #runUntilComplete(Future)}.
     *
     * @param coroutine the coroutine
     */
    public void runUntilComplete(VoidCoroutine coroutine) {
        runUntilComplete(coroutine.asCoroutine());
    }

    /**
     * Runs the loop on the calling thread until {@link #stop()} is called (asyncio's {@code run_forever}). If
     * {@code stop()} was called before, runs one iteration and returns.
     *
     * <p><b>Interrupts.</b> {@link Thread#interrupt()} of the thread running the loop is asyncio's Ctrl-C
     * ({@code KeyboardInterrupt}): the loop stops at the end of the current iteration, as on {@link #stop()}, and
     * the interrupt flag is set again when this method returns; the tasks stay as they are (a test stuck past its
     * JUnit timeout ends instead of hanging). {@link Runner#run} first cancels its main task, as
     * {@code asyncio.Runner} does. A task thread's interrupt is not cancellation: it is set again when the task resumes.
     *
     * @throws IllegalStateException if this loop is already running, another loop is running on this
     *     thread, or the loop is closed
     */
    public void runForever() {
        engine.runForever();
    }

    /**
     * Asks the loop to stop after the current iteration (asyncio's {@code stop}). May be called from
     * any thread; on a loop that is not running, the next {@code runForever} runs one iteration.
     */
    public void stop() {
        engine.stop();
    }

    /** @return whether the loop is running ({@code runForever} or {@code runUntilComplete} in progress) */
    public boolean isRunning() {
        return engine.state == EventLoopEngine.State.RUNNING;
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return engine.state == EventLoopEngine.State.CLOSED;
    }

    /**
     * Closes the loop (asyncio's {@code close}); idempotent. Tasks still pending are reported to the exception
     * handler ("Task was destroyed but it is pending!") and unwound: each receives a {@link CancelledError} at
     * its suspension point and may run its {@code finally} blocks, but can no longer suspend. Exceptions never
     * retrieved are reported. The default executor is shut down without waiting for its threads
     * ({@link Runner#close()} waits for them first, with {@link #shutdownDefaultExecutor}).
     *
     * @throws IllegalStateException if the loop is running
     */
    @Override
    public void close() {
        engine.close();
    }

    /** @return the loop's time in seconds, asyncio's {@code loop.time()} */
    public double time() {
        return timeNanos() / 1e9;
    }

    /** @return the loop's time in nanoseconds */
    public long timeNanos() {
        return engine.clock.nanoTime();
    }

    /** @return the loop's clock */
    public Clock getClock() {
        return engine.clock;
    }

    /** @return how this loop schedules its tasks' virtual threads */
    public CarrierMode getCarrierMode() {
        return engine.carrierMode;
    }

    /**
     * Sets the handler for errors that have no one else to go to; {@code null} restores the default,
     * which logs through {@link System.Logger} "dev.asyncio" at ERROR.
     *
     * @param handler the new handler, or {@code null}
     */
    public void setExceptionHandler(ExceptionHandler handler) {
        engine.setExceptionHandler(handler);
    }

    /** @return the handler set with {@link #setExceptionHandler}, or {@code null} for the default */
    public ExceptionHandler getExceptionHandler() {
        return engine.exceptionHandler();
    }

    /**
     * Passes {@code context} to the exception handler (asyncio's {@code call_exception_handler}). An exception
     * thrown by the handler is logged, with the original context, and dropped.
     *
     * @param context what happened
     */
    public void callExceptionHandler(ExceptionContext context) {
        engine.callExceptionHandler(context);
    }

    /**
     * Logs {@code context} through {@link System.Logger} "dev.asyncio" at ERROR, as asyncio's
     * {@code default_exception_handler}; custom handlers may delegate to it.
     *
     * @param context what happened
     */
    public void defaultExceptionHandler(ExceptionContext context) {
        EventLoopEngine.logException(context);
    }

    /**
     * Turns debug mode on or off (asyncio's {@code set_debug}; also {@code -Ddev.asyncio.debug=true}):
     * <ul>
     *   <li>a step or callback that holds the turn longer than {@link #getSlowCallbackDuration()} is reported
     *       <em>while it is stuck</em>, with the task's name and the stack where it is stuck (a watchdog thread
     *       samples the loop: BlockHound cannot see a blocking call on a virtual thread), and again, with its
     *       total time, once it has ended; see {@link #setSlowCallbackListener};</li>
     *   <li>a loop method called from a foreign thread is reported to the exception handler as well as thrown
     *       (the caller, e.g. a {@code CompletableFuture} callback, may swallow the exception);</li>
     *   <li>task threads carry their task's name.</li>
     * </ul>
     *
     * @param enabled the new mode
     */
    public void setDebug(boolean enabled) {
        engine.setDebug(enabled);
    }

    /** @return whether debug mode is on */
    public boolean getDebug() {
        return engine.debug.isEnabled();
    }

    /** @return the duration above which debug mode logs a step or callback as slow (100 ms by default) */
    public Duration getSlowCallbackDuration() {
        return engine.debug.slowCallbackDuration();
    }

    /**
     * Sets the threshold of {@link #getSlowCallbackDuration()}.
     *
     * @param duration the new threshold
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public void setSlowCallbackDuration(Duration duration) {
        engine.setSlowCallbackDuration(duration);
    }

    /**
     * Runs {@code function} on {@code executor} and returns a future of its outcome (asyncio's
     * {@code run_in_executor}); await it from a coroutine. The future receives the function's result or the
     * very exception object it threw. With {@code executor == null} the loop's default executor is used: the
     * one set with {@link #setDefaultExecutor}, else a pool made on first use, like asyncio's
     * {@code ThreadPoolExecutor()}, of at most {@code min(32, cores + 4)} daemon platform threads (platform,
     * so that CPU-bound work cannot hold the carriers of coroutines).
     *
     * <p>Cancelling the future keeps a job that has not started from running; a running job is not
     * interrupted (as in asyncio) and its outcome is dropped. The function runs in whatever context the
     * executor's thread has, as in asyncio ({@link Asyncio#toThread} runs it in a copy of the caller's). Until
     * its outcome is back on the loop, the job is work in flight, which an auto-jumping virtual clock awaits.
     *
     * @param executor where to run the function, or {@code null} for the default executor
     * @param function the blocking or CPU-bound work
     * @param <T> its result type
     * @return a future on this loop
     * @throws IllegalStateException off the loop's turn, if the loop is closed, or if
     *     {@code executor} is {@code null} after {@link #shutdownDefaultExecutor} was called
     * @throws RejectedExecutionException if the executor refuses the job
     */
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> function) {
        return engine.runInExecutor(executor, function);
    }

    /**
     * Sets the executor that {@link #runInExecutor runInExecutor(null, …)} and {@link Asyncio#toThread} use
     * (asyncio's {@code set_default_executor}), e.g. {@code Executors.newVirtualThreadPerTaskExecutor()} for
     * many concurrent blocking I/O calls. The loop shuts it down in {@link #shutdownDefaultExecutor} and
     * {@link #close()}; the previous default executor, if any, is the caller's to shut down.
     *
     * @param executor the new default executor
     * @throws IllegalStateException off the loop's turn, or if the loop is closed
     */
    public void setDefaultExecutor(ExecutorService executor) {
        engine.setDefaultExecutor(executor);
    }

    /**
     * Shuts the default executor down and suspends the calling coroutine until its threads have finished their
     * jobs (asyncio's {@code shutdown_default_executor}); afterwards {@code runInExecutor(null, …)} and
     * {@code toThread} are refused. {@link Runner#close()} and {@link Asyncio#run} call it before closing the
     * loop, with asyncio's 300 s timeout.
     *
     * @throws IllegalStateException if not called from a coroutine of this loop
     */
    public void shutdownDefaultExecutor() {
        shutdownDefaultExecutor(null);
    }

    /**
     * As {@link #shutdownDefaultExecutor()}, but waits at most {@code timeout} (real time); past it, a
     * warning is logged and the threads are left to finish on their own.
     *
     * @param timeout how long to wait for the threads, or {@code null} for no limit
     * @throws IllegalStateException if not called from a coroutine of this loop
     */
    public void shutdownDefaultExecutor(Duration timeout) {
        engine.shutdownDefaultExecutor(timeout);
    }

    /**
     * Sets who receives slow-callback reports in debug mode, in place of the default, which logs them through
     * {@link System.Logger} "dev.asyncio" at WARNING; any thread. Two kinds arrive (see
     * {@link SlowCallback#inProgress()}): <em>in progress</em>, from the watchdog thread, while a step or
     * callback holds the turn past {@link #getSlowCallbackDuration()} (again at twice, four times, … that
     * duration while it stays stuck), with the stack where it is stuck; and a final one on the loop's turn
     * once it has ended, with its total time. The listener must be quick and must not call loop methods; an
     * exception it throws is logged and dropped.
     *
     * @param listener the receiver, or {@code null} for the default logging
     */
    public void setSlowCallbackListener(Consumer<? super SlowCallback> listener) {
        engine.debug.setSlowCallbackListener(listener);
    }

    /** @return the listener set with {@link #setSlowCallbackListener}, or {@code null} for the default */
    public Consumer<? super SlowCallback> getSlowCallbackListener() {
        return engine.debug.slowCallbackListener();
    }

    /**
     * Describes every pending task of this loop: its name and state, what it awaits, which tasks await it, and
     * the stack where its coroutine is suspended (asyncio 3.14's {@code print_call_graph} and
     * {@code python -m asyncio ps}). On the loop's turn, or while the loop is not running, the listing is exact.
     * From another thread the loop is asked to make it and waited for up to one second; past that (the loop is
     * probably stuck in a step) the listing is read without its cooperation, marked as possibly inconsistent.
     *
     * @return a multi-line description, ending with a line break
     */
    public String dumpTasks() {
        return TaskDump.of(this);
    }

    @Override
    public String toString() {
        return "EventLoop[" + engine.describe() + "]";
    }
}
