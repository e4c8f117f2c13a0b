package dev.asyncio;

import dev.asyncio.internal.Durations;
import dev.asyncio.internal.Exceptions;
import dev.asyncio.internal.ThreadLocalPropagation;
import dev.asyncio.internal.ThreadLocalSnapshot;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * asyncio's event loop ({@code BaseEventLoop}): runs callbacks, timers and coroutine steps one at a
 * time, on one logical thread of control called <em>the turn</em>.
 *
 * <p><b>The turn.</b> Each task's coroutine runs on a virtual thread of its own, but only one thread
 * at a time holds a loop's turn and runs its code: the thread that called {@link #runForever()} or
 * {@link #runUntilComplete}, or the virtual thread of the task whose step is running. A task that
 * suspends runs the loop's bookkeeping itself (callbacks, due timers) until the next task's step comes
 * up, and hands the turn straight to that task's thread: one park and one unpark per switch, never a
 * detour through a sleeping platform thread. Each handover is a happens-before edge, so coroutines and
 * callbacks of one loop share state without locks or {@code volatile}, as in asyncio.
 *
 * <p><b>Iteration order</b> is asyncio's {@code _run_once}: timers that are due move to the ready
 * queue (by deadline, then in scheduling order); the callbacks and steps ready at the start of an
 * iteration run in FIFO order; those they schedule run in the next iteration; when nothing is ready
 * the loop waits until its next deadline or a threadsafe call.
 *
 * <p><b>Threads.</b> Loop methods must be called on the loop's turn (from its coroutines and
 * callbacks), or from any one thread while the loop is not running; elsewhere they throw
 * {@link IllegalStateException} — always, not only in debug mode. {@link #callSoonThreadsafe},
 * {@link #runCoroutineThreadsafe}, {@link #stop()}, {@link #beginExternalWork()}/{@link
 * #endExternalWork()} and the read-only queries may be called from any thread.
 *
 * <p><b>Time</b> comes from the {@link Clock} given at construction: the system clock, or a virtual
 * clock for tests.
 */
public final class EventLoop implements AutoCloseable {
    private static final Logger LOG = System.getLogger("dev.asyncio");

    /**
     * The loop's lifecycle. A stop request is not a state: asyncio's {@code stop()} is a flag honoured at
     * the end of the current iteration, and may be set before the loop runs (see {@link #stop()}).
     */
    enum State {
        /** Created, or between runs: may run or close. */
        IDLE,
        /** {@code runForever}/{@code runUntilComplete} in progress: a host thread holds or awaits the turn. */
        RUNNING,
        /** {@code close()} in progress: the host unwinds the pending tasks, which can no longer suspend. */
        CLOSING,
        /** Closed for good. */
        CLOSED
    }

    private final Clock clock;
    private final CarrierMode carrierMode;
    // The parts, one job each: see their class comments.
    final Turn turn;
    final TimerQueue timers = new TimerQueue(this);
    final LiveTasks tasks = new LiveTasks();
    final OffTurnThreads offTurn = new OffTurnThreads(this);
    final LoopDebug debug = new LoopDebug(this);
    final UnretrievedExceptions unretrieved = new UnretrievedExceptions(this);
    Poller poller = new Poller();
    final LoopActivity activity = new LoopActivity(poller);

    // State below is touched only on the turn; the volatile write of the turn publishes it to the next holder.
    private final ArrayDeque<Object> ready = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Handle> threadsafe = new ConcurrentLinkedQueue<>();
    private final AtomicInteger externalWork = new AtomicInteger();
    private final Context callbackContext = new Context();
    private volatile State state = State.IDLE;
    /** asyncio's {@code _stopping}: stop at the end of the current iteration (or of the next run's first). */
    private boolean stopping;
    /** Whether the current run has begun an iteration: a stop request is honoured only at an iteration's end. */
    private boolean iterationOpen;
    /** Items of the current iteration still to run: the first {@code remaining} entries of {@link #ready}. */
    private int remaining;
    private boolean eagerTaskStart;
    Task<?> currentTask;
    private Context currentContext;
    private ExceptionHandler exceptionHandler;
    /** Testing hook (see {@link #setReadyOrderShuffle}): shuffles each iteration's ready items, or {@code null}. */
    private java.util.Random readyOrderShuffle;

    /**
     * Creates a loop on the system clock, in the default {@link CarrierMode}. Every constructor starts
     * the loop in debug mode if the system property {@code dev.asyncio.debug} is {@code true} at that
     * moment; {@link #setDebug(boolean)} changes it later.
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
        this.clock = Objects.requireNonNull(clock, "clock");
        this.carrierMode = Objects.requireNonNull(mode, "mode");
        this.turn = new Turn(this, mode);
    }

    // ------------------------------------------------------------------ scheduling callbacks

    /**
     * Schedules {@code callback} to run in the next iteration, in FIFO order with other callbacks
     * (asyncio's {@code call_soon}), in a copy of the current {@link Context}.
     *
     * @param callback the code to run on the loop's turn; an exception it throws goes to the exception
     *     handler
     * @return a handle that can cancel it
     * @throws IllegalStateException off the loop's turn, or if the loop is closed
     */
    public Handle callSoon(Runnable callback) {
        return callSoon(callback, null);
    }

    /**
     * Schedules {@code callback} to run in the next iteration, in {@code context}: the callback runs
     * with that context as the current one, and {@link ContextVar#set} calls it makes stay in it, as
     * with asyncio's {@code call_soon(cb, context=ctx)}.
     *
     * @param callback the code to run on the loop's turn
     * @param context the context to run it in, or {@code null} for a copy of the current one
     * @return a handle that can cancel it
     * @throws IllegalStateException off the loop's turn, or if the loop is closed
     */
    public Handle callSoon(Runnable callback, Context context) {
        Objects.requireNonNull(callback, "callback");
        checkThread("callSoon");
        checkClosed();
        Handle h = new Handle(this, callback, context);
        ready.add(h);
        return h;
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
        return callAtNanos(Durations.saturatedAdd(clock.nanoTime(), Durations.toNanosSaturated(delay)), callback);
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
        return callAtNanos(Durations.saturatedAdd(clock.nanoTime(), nanos), callback);
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
        Objects.requireNonNull(callback, "callback");
        checkThread("callAt");
        checkClosed();
        return timers.add(callback, currentVars(), whenNanos);
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
        Objects.requireNonNull(callback, "callback");
        checkClosed();
        Handle h = new Handle(this, callback, Context.current().vars);
        enqueueThreadsafe(h);
        return h;
    }

    /** Any thread: {@code h} joins the next iteration, and a waiting loop wakes up. No check: the caller's job. */
    void enqueueThreadsafe(Handle h) {
        threadsafe.add(h);
        poller.wakeup();
    }

    /**
     * Submits a coroutine to this loop from any other thread (asyncio's
     * {@code run_coroutine_threadsafe}). Cancelling the returned future cancels the task. The returned
     * future refuses a blocking {@code get()}/{@code join()} on a loop's turn while it is pending (see
     * {@link Future#toCompletableFuture()}).
     *
     * @param coroutine the coroutine to run as a task of this loop
     * @param <T> its result type
     * @return a future completed with the task's outcome
     * @throws IllegalStateException if the loop is closed, or if called on this loop's own turn (where
     *     {@link #createTask} is the way, and blocking on the result would deadlock)
     */
    public <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        if (isOnTurn()) {
            throw new IllegalStateException("runCoroutineThreadsafe() was called on the loop's own turn; "
                    + "use createTask() here, since blocking on the result would stop the loop");
        }
        CompletableFuture<T> result = new LoopCompletableFuture<>(null);
        Context context = Context.copyCurrent();
        // The task is created in a callback, which captures no thread-locals: take the caller's here.
        ThreadLocalSnapshot locals = ThreadLocalPropagation.capture();
        Coroutine<T> body = locals == null ? coroutine : () -> ThreadLocalPropagation.callWith(locals, coroutine::call);
        callSoonThreadsafe(() -> {
            if (result.isDone()) {
                return;
            }
            Task<T> task = createTask(body, null, context);
            task.addDoneCallback(t -> {
                if (t.isCancelled()) {
                    result.cancel(false);
                } else if (t.rawException() != null) {
                    result.completeExceptionally(t.exception());
                } else {
                    result.complete(t.rawResult());
                }
            });
            result.whenComplete((v, e) -> {
                if (result.isCancelled() && state != State.CLOSED) {
                    try {
                        callSoonThreadsafe(task::cancel);
                    } catch (IllegalStateException loopClosed) {
                        // nothing left to cancel
                    }
                }
            });
        });
        return result;
    }

    // ------------------------------------------------------------------ futures and tasks

    /** @param <T> the result type
     *  @return a new pending future on this loop (asyncio's {@code create_future}) */
    public <T> Future<T> createFuture() {
        return new Future<>(this);
    }

    /**
     * Wraps {@code coroutine} in a task scheduled to start in the next iteration (asyncio's
     * {@code loop.create_task}).
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
        return createTask(coroutine, name, context, eagerTaskStart);
    }

    /**
     * Wraps {@code coroutine} in a task, started eagerly or not whatever {@link #isEagerTaskStart()}
     * says (asyncio 3.14's {@code create_task(..., eager_start=...)}).
     *
     * <p><b>Eager start</b> (asyncio's {@code eager_task_factory}): when called on the turn of a running
     * loop, the coroutine's first step runs right here, synchronously, before this method returns: the
     * turn passes to the new task's virtual thread and comes back to the caller at the task's first
     * suspension or end. A task that finishes without suspending is returned done and is never
     * scheduled. The step runs with the new task as {@link Asyncio#currentTask()} and in its own
     * context. Elsewhere (the loop is not running yet, or is closing) the task is scheduled as usual.
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
        Objects.requireNonNull(coroutine, "coroutine");
        checkThread("createTask");
        checkClosed();
        Task<T> task = new Task<>(this, coroutine, name,
                context != null ? context : new Context(currentVars()));
        tasks.link(task);
        if (eagerStart && state == State.RUNNING && isOnTurn()) {
            runEagerStep(task);
        } else {
            ready.add(task);
        }
        return task;
    }

    /**
     * Creates a task for {@code coroutine} from any thread: a Netty or Reactor thread serving a request,
     * a test's main thread, another loop (kotlinx's {@code scope.launch}, an executor's {@code submit}).
     * On this loop's turn it is {@link #createTask(Coroutine, String)}. From any other thread the task is
     * created at once, in a copy of the caller's {@link Context}, and joins the loop in a later
     * iteration, as a {@link #callSoonThreadsafe} callback would; while the loop is not running it waits
     * for the next run.
     *
     * <p>The task is returned at once, but its methods are loop methods: off the loop, observe it with
     * {@link Future#toCompletableFuture()} (thread-safe, cancellation included) or hand it to a bridge
     * ({@code ReactorCoroutines.toMono}, a Spring controller's return value).
     *
     * @param coroutine the coroutine
     * @param name the task's name, or {@code null} for "Task-N"
     * @param <T> its result type
     * @return the task, pending
     * @throws IllegalStateException if the loop is closed
     */
    public <T> Task<T> submit(Coroutine<T> coroutine, String name) {
        Objects.requireNonNull(coroutine, "coroutine");
        if (isOnTurn()) {
            return createTask(coroutine, name);
        }
        checkClosed();
        Task<T> task = new Task<>(this, coroutine, name, Context.copyCurrent());
        callSoonThreadsafe(() -> {
            if (!isClosing()) {
                tasks.link(task);
                ready.add(task);
            }
        });
        return task;
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
     * Makes every later {@link #createTask} start its coroutine eagerly (asyncio's
     * {@code loop.set_task_factory(asyncio.eager_task_factory)}); see
     * {@link #createTask(Coroutine, String, Context, boolean)}.
     *
     * @param eager whether tasks start eagerly; {@code false} (the default) schedules them
     * @throws IllegalStateException off the loop's turn
     */
    public void setEagerTaskStart(boolean eager) {
        checkThread("setEagerTaskStart");
        this.eagerTaskStart = eager;
    }

    /**
     * Tells whether {@link #createTask} starts coroutines eagerly (see {@link #setEagerTaskStart}).
     *
     * @return the setting, {@code false} by default
     */
    public boolean isEagerTaskStart() {
        return eagerTaskStart;
    }

    /**
     * Runs the first step of a new task now, on the caller's turn (see {@link Turn#runEagerStep}), with
     * the new task as the current one meanwhile.
     */
    private void runEagerStep(Task<?> task) {
        Thread me = Thread.currentThread();
        Task<?> callerTask = currentTask;
        Context callerContext = currentContext;
        currentTask = task;
        currentContext = task.active;
        boolean interrupted = turn.runEagerStep(task);
        currentTask = callerTask;
        currentContext = callerContext;
        if (interrupted) {
            me.interrupt();
        }
        turn.rethrowFatal();
    }

    /** The ready queue's length (LoopInternals.readyCount, for meters); on the turn. */
    int readyCount() {
        return ready.size();
    }

    /** @return the tasks of this loop that are not done yet (asyncio's {@code all_tasks}) */
    public List<Task<?>> allTasks() {
        return tasks.all();
    }

    // ------------------------------------------------------------------ running

    /**
     * Runs the loop until {@code future} is done and returns its result (asyncio's
     * {@code run_until_complete}).
     *
     * @param future a future or task of this loop
     * @param <T> the result type
     * @return the future's result
     * @throws IllegalStateException if the loop is running (nested call) or closed, or if
     *     {@link #stop()} ended the run before the future was done
     * @throws IllegalArgumentException if the future belongs to another loop
     */
    public <T> T runUntilComplete(Future<T> future) {
        Objects.requireNonNull(future, "future");
        checkNotRunning();
        if (future.loop != this) {
            throw new IllegalArgumentException("runUntilComplete() got a future of another loop: " + future);
        }
        Consumer<Future<T>> stopper = f -> stop();
        future.addDoneCallback(stopper);
        try {
            runForever();
        } finally {
            if (state != State.CLOSED) {
                future.removeDoneCallback(stopper);
            }
        }
        if (!future.isDone()) {
            String dump = turn.interruptDump();
            if (dump != null) {
                throw new CancelledError("the thread running the event loop was interrupted, so the loop stopped "
                        + "before " + future + " completed; the interrupt flag is set again. Tasks when interrupted:\n" + dump);
            }
            throw new IllegalStateException("Event loop stopped before Future completed: " + future);
        }
        return future.result();
    }

    /**
     * Runs {@code coroutine} as a task until it is done; see {@link #runUntilComplete(Future)}.
     *
     * @param coroutine the coroutine
     * @param <T> its result type
     * @return its result
     */
    public <T> T runUntilComplete(Coroutine<T> coroutine) {
        checkNotRunning();
        return runUntilComplete(createTask(coroutine));
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
     * Runs the loop on the calling thread until {@link #stop()} is called (asyncio's
     * {@code run_forever}). If {@code stop()} was called before, runs one iteration and returns.
     *
     * <p><b>Interrupts.</b> {@link Thread#interrupt()} of the thread running the loop is asyncio's
     * Ctrl-C ({@code KeyboardInterrupt}): the loop stops at the end of the current iteration, as if
     * {@link #stop()} had been called, and the interrupt flag is set again when this method returns, so
     * the caller sees it. The tasks stay as they are: the loop can be run again or closed. A stuck test
     * interrupted by a JUnit timeout therefore ends instead of hanging. ({@link Runner#run} first cancels
     * its main task instead, as {@code asyncio.Runner} does on Ctrl-C.) Interrupting a task's thread
     * is not cancellation: the flag is kept and set again when the task resumes, so code that polls it
     * sees it, and the loop never spins on it.
     *
     * @throws IllegalStateException if this loop is already running, another loop is running on this
     *     thread, or the loop is closed
     */
    public void runForever() {
        checkNotRunning();
        asHost(State.RUNNING, () -> {
            turn.switchFrom(Thread.currentThread());
            turn.rethrowFatal();
        });
    }

    /**
     * Asks the loop to stop after the current iteration (asyncio's {@code stop}). May be called from
     * any thread; on a loop that is not running, the next {@code runForever} runs one iteration.
     */
    public void stop() {
        if (turn.holder() == null || isOnTurn()) {
            stopping = true;
        } else {
            callSoonThreadsafe(() -> stopping = true);
        }
    }

    /** @return whether the loop is running ({@code runForever} or {@code runUntilComplete} in progress) */
    public boolean isRunning() {
        return state == State.RUNNING;
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /** Closing or closed: tasks can no longer suspend, and nothing new is scheduled. Any thread. */
    boolean isClosing() {
        State s = state;
        return s == State.CLOSING || s == State.CLOSED;
    }

    /** Whether a host thread runs or closes the loop now, so that a threadsafe call will be run. Any thread. */
    boolean hasHost() {
        State s = state;
        return s == State.RUNNING || s == State.CLOSING;
    }

    /**
     * Closes the loop (asyncio's {@code close}). Tasks still pending are reported to the exception
     * handler ("Task was destroyed but it is pending!") and their coroutines are unwound: each receives
     * a {@link CancelledError} at its suspension point and may run its {@code finally} blocks, but can no
     * longer suspend. Exceptions that were never retrieved are reported. The default executor is shut
     * down without waiting for its threads ({@link Runner#close()} waits for them first, with
     * {@link #shutdownDefaultExecutor}). Idempotent.
     *
     * @throws IllegalStateException if the loop is running
     */
    @Override
    public void close() {
        if (hasHost()) {
            throw new IllegalStateException("Cannot close a running event loop: call stop() and let "
                    + "runForever()/runUntilComplete() return first");
        }
        if (state == State.CLOSED) {
            return;
        }
        asHost(State.CLOSING, () -> {
            Thread me = Thread.currentThread();
            try {
                for (Task<?> t : allTasks()) {
                    callExceptionHandler(new ExceptionContext("Task was destroyed but it is pending!", null, t, null));
                    if (t.thread != null) {
                        currentTask = t;
                        currentContext = t.active;
                        turn.handTo(t);
                        turn.awaitTurn(me);
                    }
                }
                currentTask = null;
                unretrieved.reportAll();
            } finally {
                state = State.CLOSED;
                offTurn.endAll();
                ready.clear();
                timers.clear();
                threadsafe.clear();
                poller.close();
            }
        });
    }

    /**
     * Runs {@code body} with the calling thread as the loop's host, the holder of the turn between runs,
     * in {@code during} ({@link State#RUNNING} or {@link State#CLOSING}).
     */
    private void asHost(State during, Runnable body) {
        if (carrierMode == CarrierMode.LOOP_CARRIER && Thread.currentThread().isVirtual()) {
            // A virtual thread cannot carry other virtual threads: lend the loop a platform host.
            Throwable[] failure = new Throwable[1];
            Thread stand = Thread.ofPlatform().name("asyncio-host").start(() -> {
                try {
                    asHost(during, body);
                } catch (Throwable t) {
                    failure[0] = t;
                }
            });
            boolean interrupted = false;
            while (true) {
                try {
                    stand.join();
                    break;
                } catch (InterruptedException e) {
                    // The caller's interrupt is meant for the loop: pass it on to the thread running it.
                    interrupted = true;
                    stand.interrupt();
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure[0] != null) {
                throw Exceptions.sneaky(failure[0]);
            }
            return;
        }
        Thread me = Thread.currentThread();
        state = during;
        turn.enterHost(me);
        EventLoop hostedBefore = LoopRegistry.register(this);
        if (debug.enabled) {
            Watchdog.wake();
        }
        iterationOpen = false;
        try {
            body.run();
        } finally {
            stopping = false;
            currentTask = null;
            currentContext = null;
            debug.clearInFlight();
            LoopRegistry.unregister(this, hostedBefore);
            if (state == State.RUNNING) {
                state = State.IDLE;
            }
            turn.leaveHost(me);
        }
    }

    // ------------------------------------------------------------------ the iteration

    /**
     * asyncio's {@code _run_once}, spread over turns: runs ready callbacks inline and returns the next
     * task whose step is due, or {@link Turn#HOST} when the loop stops at the end of an iteration. Called
     * by the turn-holder that is about to hand the turn on (see {@link Turn}).
     */
    Object dispatch() {
        if (debug.enabled) {
            debug.endSlice();
        }
        currentTask = null;
        for (;;) {
            if (remaining == 0) {
                if (iterationOpen && stopping) {
                    stopping = false;
                    iterationOpen = false;
                    currentContext = null;
                    return Turn.HOST;
                }
                beginIteration();
                iterationOpen = true;
                continue;
            }
            Object next = ready.pollFirst();
            remaining--;
            if (next instanceof Task<?> t) {
                if (t.isDone()) {
                    continue;
                }
                if (t.thread == null && t.mustCancel) {
                    t.finishUnstarted();
                    continue;
                }
                currentTask = t;
                currentContext = t.active;
                if (debug.enabled) {
                    debug.startSlice(t);
                }
                return t;
            }
            Handle h = (Handle) next;
            if (!h.cancelled) {
                runHandle(h);
            }
        }
    }

    private void runHandle(Handle h) {
        if (h.context != null) {
            // Scheduled with an explicit context: run in it, and its changes stay there (asyncio's ctx.run).
            currentContext = h.context;
        } else {
            callbackContext.vars = h.contextVars;
            currentContext = callbackContext;
        }
        long start = 0L;
        if (debug.enabled) {
            start = debug.startCallback(h);
        }
        try {
            h.invoke();
        } catch (Throwable e) {
            callExceptionHandler(new ExceptionContext("Exception in callback " + h, e, null, h));
        }
        if (debug.enabled) {
            debug.endCallback(h, start);
        }
        currentContext = null;
    }

    /** Timers due, threadsafe calls and (later) I/O become ready; waits first if nothing is ready. */
    private void beginIteration() {
        activity.iterationBegins();
        drainThreadsafe();
        timers.purgeCancelled();
        long timeout;
        if (!ready.isEmpty() || stopping) {
            timeout = 0;
        } else {
            TimerHandle head = timers.head();
            timeout = head == null ? -1 : Math.max(0, head.whenNanos - clock.nanoTime());
        }
        if (timeout != 0) {
            idle(timeout);
            activity.iterationBegins();
            drainThreadsafe();
        } else {
            poller.poll(0);
        }
        timers.moveDue(clock.nanoTime(), ready);
        remaining = ready.size();
        if (readyOrderShuffle != null && remaining > 1) {
            shuffleReady();
        }
    }

    /** Fisher-Yates over this iteration's ready items; at this point {@code ready} holds exactly them. */
    private void shuffleReady() {
        Object[] items = ready.toArray();
        for (int i = items.length - 1; i > 0; i--) {
            int j = readyOrderShuffle.nextInt(i + 1);
            Object tmp = items[i];
            items[i] = items[j];
            items[j] = tmp;
        }
        ready.clear();
        for (Object item : items) {
            ready.add(item);
        }
    }

    private void idle(long timeoutNanos) {
        // A set interrupt flag makes park and select return at once: the loop would spin. Consume it and
        // hand it to its owner (the host's is acted on, a task's is set again when that task resumes).
        if (Thread.interrupted()) {
            turn.interruptConsumed();
        }
        waitIdle(timeoutNanos);
        if (Thread.interrupted()) {
            turn.interruptConsumed();
        }
    }

    private void waitIdle(long timeoutNanos) {
        if (clock.isVirtual()) {
            TimerHandle head = timers.head();
            if (head != null) {
                if (externalWork.get() == 0 && threadsafe.isEmpty() && clock.jumpTo(head.whenNanos)) {
                    return;
                }
                clock.wakeAt(head.whenNanos, poller::wakeup);
                if (clock.nanoTime() >= head.whenNanos) {
                    return;
                }
            }
            poller.poll(-1);
        } else {
            poller.poll(timeoutNanos);
        }
    }

    private void drainThreadsafe() {
        Handle h;
        while ((h = threadsafe.poll()) != null) {
            ready.add(h);
        }
    }

    /** Schedules a step of {@code task} (its wakeup) in the next iteration. */
    void wake(Task<?> task) {
        ready.add(task);
    }

    /** Schedules {@code handle} in the next iteration; on the turn. */
    void schedule(Handle handle) {
        ready.add(handle);
    }

    // ------------------------------------------------------------------ the running loop of a thread

    /**
     * Whether the calling thread holds this loop's turn, i.e. runs one of its coroutines or callbacks,
     * so that loop methods may be called directly; elsewhere use {@link #callSoonThreadsafe}. Lets a
     * bridge deliver a signal that arrives on the loop's own turn without a hop. Callable from any thread.
     *
     * @return whether the calling thread holds this loop's turn
     */
    // Other packages and modules: LoopInternals.isOnTurn (the bridge SPI), not a user API.
    boolean isOnTurn() {
        return turn.isHeldByCaller();
    }

    /**
     * Loop methods call this first: off the turn of a running loop they throw (always, not only in debug
     * mode); in debug mode the misuse is also reported to the exception handler.
     */
    void checkThread(String method) {
        Thread t = turn.holder();
        if (t != null && t != Thread.currentThread()) {
            IllegalStateException e = new IllegalStateException(method + "() was called from thread '"
                    + Thread.currentThread().getName() + "', but the loop is running on another thread and is not "
                    + "thread-safe; from other threads use loop.callSoonThreadsafe(...) or loop.runCoroutineThreadsafe(...)");
            if (debug.enabled) {
                debug.reportForeignThreadCall(e);
            }
            throw e;
        }
    }

    private void checkClosed() {
        if (state == State.CLOSED) {
            throw new IllegalStateException("Event loop is closed");
        }
    }

    private void checkNotRunning() {
        checkClosed();
        if (hasHost()) {
            throw new IllegalStateException("This event loop is already running; inside a coroutine, await the work "
                    + "(or createTask it) instead of calling runUntilComplete/runForever/Asyncio.run");
        }
        EventLoop other = LoopRegistry.runningLoop();
        if (other != null) {
            throw new IllegalStateException("Cannot run the event loop while another loop is running on this thread: " + other);
        }
    }

    // ------------------------------------------------------------------ contexts

    Context currentContext() {
        Context c = currentContext;
        if (c == null) {
            c = new Context();
            currentContext = c;
        }
        return c;
    }

    Context swapContext(Context next) {
        Context previous = currentContext();
        currentContext = next;
        Task<?> t = currentTask;
        if (t != null) {
            t.active = next;
        }
        return previous;
    }

    Map<ContextVar<?>, Object> currentVars() {
        return isOnTurn() ? currentContext().vars : Context.current().vars;
    }

    // ------------------------------------------------------------------ time

    /** @return the loop's time in seconds, asyncio's {@code loop.time()} */
    public double time() {
        return clock.nanoTime() / 1e9;
    }

    /** @return the loop's time in nanoseconds */
    public long timeNanos() {
        return clock.nanoTime();
    }

    /** @return the loop's clock */
    public Clock getClock() {
        return clock;
    }

    /** @return how this loop schedules its tasks' virtual threads */
    public CarrierMode getCarrierMode() {
        return carrierMode;
    }

    /**
     * Tells the loop that work it will hear of through {@link #callSoonThreadsafe} is in flight (an
     * executor job, a publisher's signal, I/O), so that an auto-jumping virtual clock does not jump past
     * it. Pair each call with {@link #endExternalWork()}. Thread-safe.
     */
    void beginExternalWork() {
        externalWork.incrementAndGet();
    }

    /** Ends what {@link #beginExternalWork()} began and wakes the loop. Thread-safe. */
    void endExternalWork() {
        if (externalWork.decrementAndGet() < 0) {
            externalWork.incrementAndGet();
            throw new IllegalStateException("endExternalWork() without beginExternalWork()");
        }
        poller.wakeup();
    }

    /** @return how many {@link #beginExternalWork()} calls are not yet ended */
    int externalWorkInFlight() {
        return externalWork.get();
    }

    // ------------------------------------------------------------------ testing hook (asyncio-test)

    /**
     * For the test kit's order fuzzing, through {@link dev.asyncio.internal.LoopInternals}: from the next
     * iteration on, runs the callbacks and task steps that are ready at the start of an iteration in an order
     * drawn from {@code random} instead of FIFO. This deliberately breaks asyncio's promise that
     * callbacks run in the order they were scheduled, to expose code that depends on an order between
     * independent activities (which of two woken tasks runs first, which of two timers due at the same
     * time fires first) that asyncio does not promise. What an iteration schedules still runs in a later
     * iteration, and timers still fire only when due. A seeded {@link java.util.Random} makes a run
     * reproducible.
     *
     * @param random the source of the order, or {@code null} to restore FIFO order
     * @throws IllegalStateException off the loop's turn while the loop runs on another thread
     */
    void setReadyOrderShuffle(java.util.Random random) {
        checkThread("setReadyOrderShuffle");
        this.readyOrderShuffle = random;
    }

    // ------------------------------------------------------------------ errors and debug

    /**
     * Sets the handler for errors that have no one else to go to; {@code null} restores the default,
     * which logs through {@link System.Logger} "dev.asyncio" at ERROR.
     *
     * @param handler the new handler, or {@code null}
     */
    public void setExceptionHandler(ExceptionHandler handler) {
        this.exceptionHandler = handler;
    }

    /** @return the handler set with {@link #setExceptionHandler}, or {@code null} for the default */
    public ExceptionHandler getExceptionHandler() {
        return exceptionHandler;
    }

    /**
     * Passes {@code context} to the exception handler (asyncio's {@code call_exception_handler}). An
     * exception thrown by the handler is logged, with the original context, and dropped.
     *
     * @param context what happened
     */
    public void callExceptionHandler(ExceptionContext context) {
        ExceptionHandler h = exceptionHandler;
        if (h == null) {
            defaultExceptionHandler(context);
            return;
        }
        try {
            h.handle(this, context);
        } catch (Throwable e) {
            LOG.log(Level.ERROR, "Unhandled error in exception handler", e);
            defaultExceptionHandler(context);
        }
    }

    /**
     * Logs {@code context} through {@link System.Logger} "dev.asyncio" at ERROR, as asyncio's
     * {@code default_exception_handler}; custom handlers may delegate to it.
     *
     * @param context what happened
     */
    public void defaultExceptionHandler(ExceptionContext context) {
        LOG.log(Level.ERROR, context.toString(), context.exception());
    }

    /**
     * Turns debug mode on or off (asyncio's {@code set_debug}; also {@code -Ddev.asyncio.debug=true}):
     * <ul>
     *   <li>a step or callback that holds the turn longer than {@link #getSlowCallbackDuration()} is
     *       reported <em>while it is stuck</em>, with the task's name and the stack where it is stuck (a
     *       watchdog thread samples the loop, since a blocking call on a virtual thread is invisible to
     *       tools such as BlockHound), and again, with its total time, once it has ended; see
     *       {@link #setSlowCallbackListener};</li>
     *   <li>a loop method called from a foreign thread is reported to the exception handler as well as
     *       thrown (the caller, e.g. a {@code CompletableFuture} callback, may swallow the exception);</li>
     *   <li>task threads carry their task's name.</li>
     * </ul>
     *
     * @param enabled the new mode
     */
    public void setDebug(boolean enabled) {
        debug.enabled = enabled;
        if (enabled && hasHost()) {
            Watchdog.wake();
        }
    }

    /** @return whether debug mode is on */
    public boolean getDebug() {
        return debug.enabled;
    }

    /** @return the duration above which debug mode logs a step or callback as slow (100 ms by default) */
    public Duration getSlowCallbackDuration() {
        return debug.slowCallbackDuration();
    }

    /**
     * @param duration the new threshold, not negative
     */
    public void setSlowCallbackDuration(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("slowCallbackDuration must not be negative: " + duration);
        }
        debug.setSlowCallbackDuration(duration);
    }

    // ------------------------------------------------------------------ threads

    /**
     * Runs {@code function} on {@code executor} and returns a future of its outcome (asyncio's
     * {@code run_in_executor}); await it from a coroutine. The future receives the function's result
     * or the very exception object it threw.
     *
     * <p>With {@code executor == null} the loop's default executor is used: the one set with
     * {@link #setDefaultExecutor}, else a pool the loop creates on first use, like asyncio's
     * {@code ThreadPoolExecutor()}: at most {@code min(32, cores + 4)} daemon platform threads
     * (platform, not virtual, so that CPU-bound work cannot hold the carriers that run coroutines;
     * for many concurrent blocking I/O calls set a virtual-thread executor instead).
     *
     * <p>Cancelling the returned future keeps a job that has not started from running; a job already
     * running cannot be stopped (it is not interrupted, as in asyncio) and its outcome is dropped.
     * The function runs in whatever context the executor's thread has, as in asyncio; use
     * {@link Asyncio#toThread} to run it in a copy of the caller's context. Until the outcome is back on
     * the loop, the job counts as external work ({@link #beginExternalWork()}), so an auto-jumping
     * virtual clock waits for it.
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
        Objects.requireNonNull(function, "function");
        checkThread("runInExecutor");
        checkClosed();
        return offTurn.runInExecutor(executor, function);
    }

    /**
     * Sets the executor that {@link #runInExecutor runInExecutor(null, …)} and {@link Asyncio#toThread}
     * use (asyncio's {@code set_default_executor}), e.g.
     * {@code Executors.newVirtualThreadPerTaskExecutor()} for many concurrent blocking I/O calls. The
     * loop shuts it down in {@link #shutdownDefaultExecutor} and {@link #close()}; the previous default
     * executor, if any, is left running and is the caller's to shut down.
     *
     * @param executor the new default executor
     * @throws IllegalStateException off the loop's turn, or if the loop is closed
     */
    public void setDefaultExecutor(ExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        checkThread("setDefaultExecutor");
        checkClosed();
        offTurn.setDefaultExecutor(executor);
    }

    /**
     * Shuts the default executor down and suspends the calling coroutine until its threads have
     * finished their jobs (asyncio's {@code shutdown_default_executor}); afterwards
     * {@code runInExecutor(null, …)} and {@code toThread} are refused. {@link Runner#close()} and
     * {@link Asyncio#run} call it before closing the loop, with asyncio's 300 s timeout.
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
        Task<?> task = LoopRegistry.requireCurrentTask("shutdownDefaultExecutor()");
        if (task.loop != this) {
            throw new IllegalStateException("shutdownDefaultExecutor() must be called from a coroutine of " + this);
        }
        offTurn.shutdownDefaultExecutor(timeout);
    }

    // ------------------------------------------------------------------ debug

    /**
     * Sets who receives slow-callback reports in debug mode, in place of the default, which logs them
     * through {@link System.Logger} "dev.asyncio" at WARNING. Two kinds arrive (see
     * {@link SlowCallback#inProgress()}): reports <em>in progress</em>, from the watchdog thread, while a
     * step or callback still holds the turn past {@link #getSlowCallbackDuration()} (again at twice,
     * four times, … that duration while it stays stuck), with the stack where it is stuck; and a final
     * report on the loop's turn once it has ended, with its total time. The listener must be quick and
     * must not call loop methods (the in-progress reports come from another thread); an exception it
     * throws is logged and dropped. May be called from any thread.
     *
     * @param listener the receiver, or {@code null} for the default logging
     */
    public void setSlowCallbackListener(Consumer<? super SlowCallback> listener) {
        debug.setSlowCallbackListener(listener);
    }

    /** @return the listener set with {@link #setSlowCallbackListener}, or {@code null} for the default */
    public Consumer<? super SlowCallback> getSlowCallbackListener() {
        return debug.slowCallbackListener();
    }

    /**
     * Describes every pending task of this loop: its name and state, what it awaits, which tasks
     * await it, and the stack where its coroutine is suspended, in the spirit of asyncio 3.14's
     * {@code print_call_graph} and {@code python -m asyncio ps}.
     *
     * <p>On the loop's turn, or while the loop is not running, the listing is exact. From another thread
     * the loop is asked to make it and is waited for up to one second; a loop that does not answer in
     * time is probably stuck in a step (debug mode's slow-callback reports say where), and the listing
     * is then read without its cooperation, marked as possibly inconsistent.
     *
     * @return a multi-line description, ending with a line break
     */
    public String dumpTasks() {
        return TaskDump.of(this);
    }

    @Override
    public String toString() {
        State s = state;
        return "EventLoop[" + (s == State.CLOSED ? "closed" : s == State.IDLE ? "idle" : "running") + ", " + carrierMode
                + ", debug=" + debug.enabled + ", " + clock + "]";
    }
}
