package dev.asyncio;

import dev.asyncio.engine.ClockDriver;
import dev.asyncio.engine.Exceptions;
import dev.asyncio.engine.ExecutorJob;
import dev.asyncio.engine.LoopDebug;
import dev.asyncio.engine.LoopEngine;
import dev.asyncio.engine.LoopRegistry;
import dev.asyncio.engine.MisuseAdvice;
import dev.asyncio.engine.OffTurnThreads;
import dev.asyncio.engine.Poller;
import dev.asyncio.engine.SleepTimer;
import dev.asyncio.engine.LoopActivity;
import dev.asyncio.engine.ThreadLocalPropagation;
import dev.asyncio.engine.Turn;
import dev.asyncio.engine.UnretrievedExceptions;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The machinery and state of one {@link EventLoop} behind its public methods, which only delegate here: the
 * loop's parts ({@link LoopTurn}, {@link Timers}, {@link LiveTasks}, {@link OffTurnThreads}, {@link LoopDebug},
 * {@link UnretrievedExceptions}, {@link Poller}, the {@link LoopActivity}), its lifecycle, the current task and
 * context, the checks every loop method makes, and the bodies of the long methods. The rest of the package
 * reaches a loop's parts through {@code loop.engine}. Here too: the ready queue and asyncio's {@code _run_once}
 * iteration spread over turns ({@link #dispatch()}), idling on the poller or a virtual clock, the threadsafe
 * queue, the count of external work and the stop request. It is also the loop's {@link LoopEngine} for the
 * other packages; its class initializer installs the directory that maps loops to engines, before the first
 * loop exists. See docs/architecture.md.
 *
 * <p>State here is touched only on the turn (the volatile write of the turn publishes it to the next holder),
 * except {@link #state}, the threadsafe queue and the external-work count, which any thread may read or use.
 */
final class EventLoopEngine extends LoopEngine {
    /** Tasks of this loop that ended cancelled; written on the turn only. */
    private volatile long cancelledTasks;

    static {
        LoopEngine.install(new Directory() {
            @Override
            public LoopEngine engineOf(Object loop) {
                return ((EventLoop) loop).engine;
            }
        });
    }

    /**
     * The loop's lifecycle. A stop request is not a state: asyncio's {@code stop()} is a flag honoured at
     * the end of the current iteration, and may be set before the loop runs (see {@link EventLoop#stop()}).
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

    private static final Logger LOG = System.getLogger("dev.asyncio");

    private final EventLoop loop;
    final Clock clock;
    final CarrierMode carrierMode;
    // The parts, one job each: see their class comments.
    final LoopTurn turn;
    final Timers timers;
    final LiveTasks tasks = new LiveTasks();
    final OffTurnThreads offTurn;
    final LoopDebug<SlowCallback> debug;
    final UnretrievedExceptions unretrieved;
    final Poller poller = new Poller();
    final LoopActivity activity = new LoopActivity(poller::isWaiting);

    // Touched only on the turn (the volatile write of the turn publishes it to the next holder), except state.
    volatile State state = State.IDLE;
    private boolean eagerTaskStart;
    Task<?> currentTask;
    Context currentContext;
    private ExceptionHandler exceptionHandler;
    /** How the idle loop jumps or waits on a virtual clock; {@link ClockDriver#NONE} for the others. */
    private final ClockDriver clockDriver;
    private final ArrayDeque<Object> ready = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Handle> threadsafe = new ConcurrentLinkedQueue<>();
    private final AtomicInteger externalWork = new AtomicInteger();
    private final Context callbackContext = new Context();
    /** asyncio's {@code _stopping}: stop at the end of the current iteration (or of the next run's first). */
    private boolean stopping;
    /** Whether the current run has begun an iteration: a stop request is honoured only at an iteration's end. */
    private boolean iterationOpen;
    /** Items of the current iteration still to run: the first {@code remaining} entries of {@link #ready}. */
    private int remaining;
    /** The JDK Flight Recorder event of the task step running now, while steps are recorded ({@link FlightEvents}). */
    Object flightStep;
    /** Testing hook (see {@link #setReadyOrderShuffle}): shuffles each iteration's ready items, or {@code null}. */
    private Random readyOrderShuffle;

    EventLoopEngine(EventLoop loop, Clock clock, CarrierMode mode) {
        this.loop = loop;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.carrierMode = Objects.requireNonNull(mode, "mode");
        this.clockDriver = ClockDriver.of(clock);
        this.turn = new LoopTurn(loop, mode == CarrierMode.LOOP_CARRIER ? CarrierMode.loopCarrierInternals() : null);
        this.timers = new Timers(loop);
        this.offTurn = new OffTurnThreads(this, loop::callSoonThreadsafe, CarrierMode::helperThreads);
        this.debug = new LoopDebug<>(this, (owner, nanos, inProgress, stack) -> SlowCallback.of(loop, owner, nanos, inProgress, stack));
        this.unretrieved = new UnretrievedExceptions(
                l -> callExceptionHandler(new ExceptionContext(l.message(), l.exception(), null, null)), this::runOnTurnIfHosted);
    }

    // ------------------------------------------------------------------ checks and contexts

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
            if (debug.isEnabled()) {
                reportForeignThreadCall(e);
            }
            throw e;
        }
    }

    /** Debug mode: a loop method called off the turn; the caller gets the exception too. */
    private void reportForeignThreadCall(IllegalStateException e) {
        ExceptionContext context = ExceptionContext.of("Non-thread-safe operation invoked on an event loop "
                + "from another thread (debug mode)", e);
        try {
            loop.callSoonThreadsafe(() -> loop.callExceptionHandler(context));
        } catch (IllegalStateException loopClosed) {
            LOG.log(Level.WARNING, context.message(), e);
        }
    }

    /** {@link #checkThread} and then {@link #checkClosed}: the entry of most loop methods. */
    void checkOnTurnAndOpen(String method) {
        checkThread(method);
        checkClosed();
    }

    void checkClosed() {
        if (state == State.CLOSED) {
            throw new IllegalStateException("Event loop is closed");
        }
    }

    void checkNotRunning() {
        checkClosed();
        if (hasHost()) {
            throw new IllegalStateException("This event loop is already running; inside a coroutine, await the work "
                    + "(or createTask it) instead of calling runUntilComplete/runForever/Asyncio.run");
        }
        EventLoop other = runningLoop();
        if (other != null) {
            throw new IllegalStateException("Cannot run the event loop while another loop is running on this thread: " + other);
        }
    }

    /**
     * The loop whose turn the calling thread holds: the loop running the current coroutine or callback,
     * or {@code null} on any other thread. Any thread.
     */
    static EventLoop runningLoop() {
        LoopEngine running = LoopRegistry.running();
        return running == null ? null : ((EventLoopEngine) running).loop;
    }

    /** The task whose step is running on the calling thread, or a clear error saying why there is none. */
    static Task<?> requireCurrentTask(String operation) {
        LoopEngine running = LoopRegistry.running();
        if (running == null) {
            throw new IllegalStateException(operation + " must be called from a coroutine running on an event loop, "
                    + "but thread '" + Thread.currentThread().getName() + "' is not running one; "
                    + MisuseAdvice.noLoop("start the coroutine with Asyncio.run(...) or loop.createTask(...)"));
        }
        EventLoopEngine engine = (EventLoopEngine) running;
        Task<?> t = engine.currentTask;
        if (t == null) {
            throw new IllegalStateException(operation + " was called from a callback of " + engine.loop
                    + ", not from a coroutine; callbacks cannot suspend: schedule a task with createTask(...) instead");
        }
        if (engine.isClosing()) {
            throw new IllegalStateException(operation + ": the event loop is closed, " + t.getName() + " cannot suspend any more");
        }
        return t;
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

    /** Any thread: schedules {@code action} on the turn if a host runs the loop, and says whether it did. */
    private boolean runOnTurnIfHosted(Runnable action) {
        if (hasHost()) {
            try {
                loop.callSoonThreadsafe(action);
                return true;
            } catch (IllegalStateException closedMeanwhile) {
                // nobody will run it
            }
        }
        return false;
    }

    /**
     * On the turn: the current context, made now if it is still none: the running task's own (made on
     * first use, see {@link Task#context()}), or outside a task a fresh empty one.
     */
    Context currentContext() {
        Context c = currentContext;
        if (c == null) {
            Task<?> t = currentTask;
            c = t != null ? t.context() : new Context();
            currentContext = c;
        }
        return c;
    }

    Context swapContext(Context next) {
        Context previous = currentContext();
        currentContext = next;
        Task<?> t = currentTask;
        if (t != null) {
            t.active = t.isOwnContext(next) ? null : next;
        }
        return previous;
    }

    /** The current context's variables, without making a task's context that is still an empty one. */
    Map<ContextVar<?>, Object> currentVars() {
        if (!isOnTurn()) {
            return Context.current().vars;
        }
        Context c = currentContext;
        if (c != null) {
            return c.vars;
        }
        Task<?> t = currentTask;
        return t != null ? t.activeVars() : Context.EMPTY;
    }

    // ------------------------------------------------------------------ the bodies of EventLoop's methods

    /** {@link EventLoop#callSoon(Runnable, Context)}. */
    Handle callSoon(Runnable callback, Context context) {
        Objects.requireNonNull(callback, "callback");
        checkOnTurnAndOpen("callSoon");
        Handle h = new Handle(loop, callback, context);
        schedule(h);
        return h;
    }

    /** {@link EventLoop#callAtNanos}. */
    TimerHandle callAt(long whenNanos, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkOnTurnAndOpen("callAt");
        return timers.add(callback, currentVars(), whenNanos);
    }

    /** {@link EventLoop#callSoonThreadsafe(Runnable, Context)}. */
    Handle callSoonThreadsafe(Runnable callback, Context context) {
        Objects.requireNonNull(callback, "callback");
        checkClosed();
        Handle h = context != null ? new Handle(loop, callback, context) : new Handle(loop, callback, Context.currentVars());
        enqueueThreadsafe(h);
        return h;
    }

    /** The loop's I/O selector, attached to the poller on first use; on the turn, or before the loop runs. */
    LoopSelector selector() {
        return (LoopSelector) poller.io(() -> new LoopSelector(loop));
    }

    /** {@link EventLoop#runCoroutineThreadsafe}. */
    <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        if (isOnTurn()) {
            throw new IllegalStateException("runCoroutineThreadsafe() was called on the loop's own turn; "
                    + "use createTask() here, since blocking on the result would stop the loop");
        }
        CompletableFuture<T> result = new LoopCompletableFuture<>(null);
        Context context = Context.copyCurrent();
        // The task is created in a callback, which captures no thread-locals: take the caller's here.
        ThreadLocalPropagation.Snapshot locals = ThreadLocalPropagation.capture();
        Coroutine<T> body = locals == null ? coroutine : () -> ThreadLocalPropagation.callWith(locals, coroutine::call);
        callSoonThreadsafe(() -> {
            if (result.isDone()) {
                return;
            }
            Task<T> task = createTask(body, null, context, eagerTaskStart);
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
                        callSoonThreadsafe(task::cancel, null);
                    } catch (IllegalStateException loopClosed) {
                        // nothing left to cancel
                    }
                }
            });
        }, null);
        return result;
    }

    /** {@link EventLoop#createTask(Coroutine, String, Context, boolean)}; {@code eagerStart} null: the loop's setting. */
    <T> Task<T> createTask(Coroutine<T> coroutine, String name, Context context, Boolean eagerStart) {
        Objects.requireNonNull(coroutine, "coroutine");
        checkOnTurnAndOpen("createTask");
        Task<T> task = new Task<>(loop, coroutine, name, context != null ? context : Context.copyOf(currentVars()));
        tasks.link(task);
        boolean eager = eagerStart != null ? eagerStart : eagerTaskStart;
        if (eager && state == State.RUNNING && isOnTurn()) {
            runEagerStep(task);
        } else {
            wake(task);
        }
        return task;
    }

    /** {@link EventLoop#submit(Coroutine, String)}. */
    <T> Task<T> submit(Coroutine<T> coroutine, String name) {
        Objects.requireNonNull(coroutine, "coroutine");
        if (isOnTurn()) {
            return createTask(coroutine, name, null, null);
        }
        checkClosed();
        Task<T> task = new Task<>(loop, coroutine, name, Context.copyCurrent());
        callSoonThreadsafe(() -> {
            if (!isClosing()) {
                tasks.link(task);
                wake(task);
            }
        }, null);
        return task;
    }

    void setEagerTaskStart(boolean eager) {
        checkThread("setEagerTaskStart");
        this.eagerTaskStart = eager;
    }

    boolean isEagerTaskStart() {
        return eagerTaskStart;
    }

    /** {@link EventLoop#runUntilComplete(Future)}. */
    <T> T runUntilComplete(Future<T> future) {
        Objects.requireNonNull(future, "future");
        checkNotRunning();
        if (future.loop != loop) {
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

    /** {@link EventLoop#runUntilComplete(Coroutine)}: the loop is checked before the task is made. */
    <T> T runUntilComplete(Coroutine<T> coroutine) {
        checkNotRunning();
        return runUntilComplete(createTask(coroutine, null, null, null));
    }

    /** {@link EventLoop#runForever()}. */
    void runForever() {
        checkNotRunning();
        asHost(State.RUNNING, () -> {
            turn.switchFrom(Thread.currentThread());
            turn.rethrowFatal();
        });
    }

    /** {@link EventLoop#stop()}: any thread. */
    void stop() {
        if (turn.holder() == null || isOnTurn()) {
            requestStop();
        } else {
            callSoonThreadsafe(this::requestStop, null);
        }
    }

    /** {@link EventLoop#close()}. */
    void close() {
        if (hasHost()) {
            throw new IllegalStateException("Cannot close a running event loop: call stop() and let "
                    + "runForever()/runUntilComplete() return first");
        }
        if (state == State.CLOSED) {
            return;
        }
        asHost(State.CLOSING, this::unwindAndClose);
    }

    void setExceptionHandler(ExceptionHandler handler) {
        this.exceptionHandler = handler;
    }

    ExceptionHandler exceptionHandler() {
        return exceptionHandler;
    }

    /** {@link EventLoop#callExceptionHandler}: an exception the handler throws is logged and dropped. */
    void callExceptionHandler(ExceptionContext context) {
        ExceptionHandler h = exceptionHandler;
        if (h == null) {
            loop.defaultExceptionHandler(context);
            return;
        }
        try {
            h.handle(loop, context);
        } catch (Throwable e) {
            LOG.log(Level.ERROR, "Unhandled error in exception handler", e);
            loop.defaultExceptionHandler(context);
        }
    }

    /** {@link EventLoop#defaultExceptionHandler}: logs {@code context} at ERROR. */
    static void logException(ExceptionContext context) {
        LOG.log(Level.ERROR, context.toString(), context.exception());
    }

    /** {@link EventLoop#setDebug}. */
    void setDebug(boolean enabled) {
        debug.setEnabled(enabled);
    }

    /** {@link EventLoop#setSlowCallbackDuration}. */
    void setSlowCallbackDuration(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("slowCallbackDuration must not be negative: " + duration);
        }
        debug.setSlowCallbackDuration(duration);
    }

    /** {@link EventLoop#runInExecutor}. */
    <T> Future<T> runInExecutor(Executor executor, Callable<T> function) {
        Objects.requireNonNull(function, "function");
        checkOnTurnAndOpen("runInExecutor");
        Future<T> future = new Future<>(loop);
        ExecutorJob<T> job = offTurn.runInExecutor(executor, function, (value, error) -> {
            if (future.isDone()) {
                return; // cancelled meanwhile
            }
            if (error == null) {
                future.complete(value);
            } else {
                future.fail(error);
            }
        });
        future.addDoneCallback(f -> {
            if (f.isCancelled()) {
                job.cancel();
            }
        });
        return future;
    }

    /** {@link EventLoop#setDefaultExecutor}. */
    void setDefaultExecutor(ExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        checkOnTurnAndOpen("setDefaultExecutor");
        offTurn.setDefaultExecutor(executor);
    }

    /** {@link EventLoop#shutdownDefaultExecutor(Duration)}. */
    void shutdownDefaultExecutor(Duration timeout) {
        Task<?> task = requireCurrentTask("shutdownDefaultExecutor()");
        if (task.loop != loop) {
            throw new IllegalStateException("shutdownDefaultExecutor() must be called from a coroutine of " + loop);
        }
        Future<Boolean> joined = new Future<>(loop);
        boolean started = offTurn.shutdownDefaultExecutor(timeout, terminated -> {
            if (!joined.isDone()) {
                joined.complete(terminated);
            }
        });
        if (started && !joined.await()) {
            LOG.log(Level.WARNING, "The executor did not finish joining its threads within " + timeout);
        }
    }

    /** For {@link EventLoop#toString()}: state, carrier mode, debug mode and clock. */
    String describe() {
        State s = state;
        return (s == State.CLOSED ? "closed" : s == State.IDLE ? "idle" : "running") + ", " + carrierMode
                + ", debug=" + debug.isEnabled() + ", " + clock;
    }

    /** asyncio's {@code stop()}: stop at the end of the current iteration; on the turn, or while not running. */
    void requestStop() {
        stopping = true;
    }

    /** The loop closed: what was still queued is dropped. */
    void clearQueues() {
        ready.clear();
        threadsafe.clear();
    }

    /**
     * The body of {@code close()}, on the closing host: reports each pending task and unwinds its coroutine
     * (it receives a {@code CancelledError} and can no longer suspend), reports the exceptions never
     * retrieved, then ends the helper threads and drops what is still queued.
     */
    void unwindAndClose() {
        Thread me = Thread.currentThread();
        try {
            for (Task<?> t : loop.allTasks()) {
                callExceptionHandler(new ExceptionContext("Task was destroyed but it is pending!", null, t, null));
                if (t.thread != null) {
                    currentTask = t;
                    currentContext = t.activeContext();
                    turn.handTo(t);
                    turn.awaitTurn(me);
                }
            }
            currentTask = null;
            unretrieved.reportAll();
        } finally {
            state = State.CLOSED;
            offTurn.endAll();
            clearQueues();
            timers.clear();
            poller.close();
            SignalHandlers.removeAll(loop);
        }
    }

    /**
     * Runs {@code body} with the calling thread as the loop's host, the holder of the turn between runs,
     * in {@code during} ({@link State#RUNNING} or {@link State#CLOSING}).
     */
    void asHost(State during, Runnable body) {
        if (loop.getCarrierMode() == CarrierMode.LOOP_CARRIER && Thread.currentThread().isVirtual()) {
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
        LoopEngine hostedBefore = LoopRegistry.register(this, carrierMode == CarrierMode.LOOP_CARRIER);
        TasksMBean.registerOnce();
        debug.runStarts();
        iterationOpen = false;
        try {
            body.run();
        } finally {
            stopping = false;
            currentTask = null;
            currentContext = null;
            debug.runEnds();
            LoopRegistry.unregister(this, hostedBefore);
            if (state == State.RUNNING) {
                state = State.IDLE;
            }
            turn.leaveHost(me);
        }
    }

    /**
     * Runs the first step of a new task now, on the caller's turn (see {@link Turn#runEagerStep}), with
     * the new task as the current one meanwhile.
     */
    void runEagerStep(Task<?> task) {
        Thread me = Thread.currentThread();
        Task<?> callerTask = currentTask;
        Context callerContext = currentContext;
        currentTask = task;
        currentContext = task.activeContext();
        Object callerStep = flightStep;
        flightStep = null;
        FlightEvents.stepBegins(task);
        boolean interrupted = turn.runEagerStep(task);
        FlightEvents.stepEnds(task);
        flightStep = callerStep;
        currentTask = callerTask;
        currentContext = callerContext;
        if (interrupted) {
            me.interrupt();
        }
        turn.rethrowFatal();
    }

    /** Any thread: {@code h} joins the next iteration, and a waiting loop wakes up. No check: the caller's job. */
    void enqueueThreadsafe(Handle h) {
        threadsafe.add(h);
        poller.wakeup();
    }

    /**
     * asyncio's {@code _run_once}, spread over turns: runs ready callbacks inline and returns the next
     * task whose step is due, or {@link Turn#HOST} when the loop stops at the end of an iteration. Called
     * by the turn-holder that is about to hand the turn on (see {@link LoopTurn}).
     *
     * <p>One method for the whole iteration, the start of one (threadsafe callbacks, the poll, due timers)
     * included, as {@code _run_once} is one function, and for a reason of memory as well: its bytecode is
     * larger than the JIT inlines into a hot caller (C2's {@code FreqInlineSize}, 325 bytes). A task that
     * suspends calls it from the frame it then parks in, and a compiled frame is sized for everything
     * inlined into it; every parked task keeps its frames. Inlined, the dispatcher made each parked task's
     * stack chunk 100-230 bytes larger, and by how much depended on the JIT's choices run to run
     * (benchmarks/README.md, "The dispatcher is not in the parked frame"); {@code EventLoopEngineTest}
     * keeps it above the limit.
     */
    Object dispatch() {
        if (debug.isEnabled()) {
            debug.endSlice();
        }
        FlightEvents.stepEnds(currentTask);
        currentTask = null;
        for (;;) {
            if (remaining == 0) {
                if (iterationOpen && stopping) {
                    stopping = false;
                    iterationOpen = false;
                    currentContext = null;
                    return Turn.HOST;
                }
                // The start of an iteration: what came from other threads, then the poll (without
                // blocking when anything is ready or the loop is stopping), then the timers now due.
                activity.iterationBegins();
                drainThreadsafe();
                timers.purgeCancelled();
                long timeout;
                if (!ready.isEmpty() || stopping) {
                    timeout = 0;
                } else {
                    timeout = timers.isEmpty() ? -1 : Math.max(0, timers.nextDeadline() - clock.nanoTime());
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
                currentContext = t.activeContext();
                if (debug.isEnabled()) {
                    debug.startSlice(t);
                }
                FlightEvents.stepBegins(t);
                return t;
            }
            if (next instanceof SleepTimer s) {
                // A sleep's timer came due in this iteration: its task steps in the next (asyncio's sleep future).
                if (s.fire()) {
                    wake((Task<?>) s.task());
                }
                continue;
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
        if (debug.isEnabled()) {
            start = debug.startCallback(h);
        }
        try {
            h.runCallback();
        } catch (Throwable e) {
            callExceptionHandler(new ExceptionContext("Exception in callback " + h, e, null, h));
        }
        if (debug.isEnabled()) {
            debug.endCallback(h, start);
        }
        currentContext = null;
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
            if (!timers.isEmpty()) {
                long next = timers.nextDeadline();
                if (externalWork.get() == 0 && threadsafe.isEmpty() && clockDriver.jumpTo(next)) {
                    return;
                }
                clockDriver.wakeAt(next, poller::wakeup);
                if (clock.nanoTime() >= next) {
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

    /**
     * Tells the loop that work it will hear of through {@link EventLoop#callSoonThreadsafe} is in flight (an
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
    @Override
    public int externalWorkInFlight() {
        return externalWork.get();
    }


    @Override
    public EventLoop loop() {
        return loop;
    }

    /**
     * Whether the calling thread holds the loop's turn, i.e. runs one of its coroutines or callbacks. Any
     * thread; other packages reach it as {@link LoopEngine#isOnTurn()}.
     */
    @Override
    public boolean isOnTurn() {
        return turn.isHeldByCaller();
    }

    @Override
    public boolean runsTask() {
        return currentTask != null;
    }

    /** A task of the loop is done (its outcome is set): counted if cancelled, recorded for Flight Recorder. On the turn. */
    void taskEnded(Task<?> task) {
        if (task.isCancelled()) {
            // One writer (the turn-holder), readers on any thread: a volatile long needs no atomic add.
            cancelledTasks++;
        }
        FlightEvents.taskFinished(task);
    }

    @Override
    public long cancelledTasks() {
        return cancelledTasks;
    }

    @Override
    public Thread turnHolder() {
        return turn.holder();
    }

    @Override
    public int readyCount() {
        return ready.size();
    }

    @Override
    public boolean hasVirtualClock() {
        return loop.getClock().isVirtual();
    }

    @Override
    public void externalWork(int delta) {
        if (delta > 0) {
            beginExternalWork();
        } else {
            endExternalWork();
        }
    }

    @Override
    public void startHelper(String name, Runnable body) {
        offTurn.startHelper(name, body);
    }

    @Override
    public Runnable atClose(Runnable action) {
        return offTurn.atClose(action);
    }

    @Override
    public void trackActivity() {
        activity.track();
    }

    @Override
    public long busyNanos(long now) {
        return activity.busyNanos(now);
    }

    /**
     * For the test kit's order fuzzing, through the bridge SPI ({@code LoopInternals}): from the next
     * iteration on, runs the callbacks and task steps that are ready at the start of an iteration in an order
     * drawn from {@code random} instead of FIFO. This deliberately breaks asyncio's promise that
     * callbacks run in the order they were scheduled, to expose code that depends on an order between
     * independent activities (which of two woken tasks runs first, which of two timers due at the same
     * time fires first) that asyncio does not promise. What an iteration schedules still runs in a later
     * iteration, and timers still fire only when due. A seeded {@link Random} makes a run
     * reproducible.
     *
     * @param random the source of the order, or {@code null} to restore FIFO order
     * @throws IllegalStateException off the loop's turn while the loop runs on another thread
     */
    @Override
    public void setReadyOrderShuffle(Random random) {
        checkThread("setReadyOrderShuffle");
        this.readyOrderShuffle = random;
    }
}
