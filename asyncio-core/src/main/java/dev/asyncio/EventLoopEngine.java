package dev.asyncio;

import dev.asyncio.engine.ClockDriver;
import dev.asyncio.engine.Exceptions;
import dev.asyncio.engine.LoopEngine;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The machinery of one {@link EventLoop} behind its public methods: the ready queue and asyncio's
 * {@code _run_once} iteration spread over turns ({@link #dispatch()}), idling on the poller or a virtual
 * clock, the threadsafe queue, the count of external work and the stop request. It is also the loop's
 * {@link LoopEngine} for the other packages, implemented on the loop's package-private parts (its turn,
 * off-turn threads, activity); its class initializer installs the directory that maps loops to engines,
 * before the first loop exists.
 *
 * <p>State here is touched only on the turn (the volatile write of the turn publishes it to the next
 * holder), except the threadsafe queue and the external-work count, which any thread may use.
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

            @Override
            public LoopEngine running() {
                EventLoop loop = LoopRegistry.runningLoop();
                return loop == null ? null : loop.engine;
            }
        });
    }

    private final EventLoop loop;
    private final Clock clock;
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
    /** Testing hook (see {@link #setReadyOrderShuffle}): shuffles each iteration's ready items, or {@code null}. */
    private Random readyOrderShuffle;

    EventLoopEngine(EventLoop loop, Clock clock) {
        this.loop = loop;
        this.clock = clock;
        this.clockDriver = ClockDriver.of(clock);
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
                loop.callExceptionHandler(new ExceptionContext("Task was destroyed but it is pending!", null, t, null));
                if (t.thread != null) {
                    loop.currentTask = t;
                    loop.currentContext = t.active;
                    loop.turn.handTo(t);
                    loop.turn.awaitTurn(me);
                }
            }
            loop.currentTask = null;
            loop.unretrieved.reportAll();
        } finally {
            loop.state = EventLoop.State.CLOSED;
            loop.offTurn.endAll();
            clearQueues();
            loop.timers.clear();
            loop.poller.close();
            SignalHandlers.removeAll(loop);
        }
    }

    /**
     * Runs {@code body} with the calling thread as the loop's host, the holder of the turn between runs,
     * in {@code during} ({@link EventLoop.State#RUNNING} or {@link EventLoop.State#CLOSING}).
     */
    void asHost(EventLoop.State during, Runnable body) {
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
        loop.state = during;
        loop.turn.enterHost(me);
        EventLoop hostedBefore = LoopRegistry.register(loop);
        if (loop.debug.enabled) {
            Watchdog.wake();
        }
        iterationOpen = false;
        try {
            body.run();
        } finally {
            stopping = false;
            loop.currentTask = null;
            loop.currentContext = null;
            loop.debug.clearInFlight();
            LoopRegistry.unregister(loop, hostedBefore);
            if (loop.state == EventLoop.State.RUNNING) {
                loop.state = EventLoop.State.IDLE;
            }
            loop.turn.leaveHost(me);
        }
    }

    /**
     * Runs the first step of a new task now, on the caller's turn (see {@link Turn#runEagerStep}), with
     * the new task as the current one meanwhile.
     */
    void runEagerStep(Task<?> task) {
        Thread me = Thread.currentThread();
        Task<?> callerTask = loop.currentTask;
        Context callerContext = loop.currentContext;
        loop.currentTask = task;
        loop.currentContext = task.active;
        FlightEvents.stepBegins(task);
        boolean interrupted = loop.turn.runEagerStep(task);
        FlightEvents.stepEnds(task);
        loop.currentTask = callerTask;
        loop.currentContext = callerContext;
        if (interrupted) {
            me.interrupt();
        }
        loop.turn.rethrowFatal();
    }

    /** Any thread: {@code h} joins the next iteration, and a waiting loop wakes up. No check: the caller's job. */
    void enqueueThreadsafe(Handle h) {
        threadsafe.add(h);
        loop.poller.wakeup();
    }

    /**
     * asyncio's {@code _run_once}, spread over turns: runs ready callbacks inline and returns the next
     * task whose step is due, or {@link Turn#HOST} when the loop stops at the end of an iteration. Called
     * by the turn-holder that is about to hand the turn on (see {@link Turn}).
     */
    Object dispatch() {
        if (loop.debug.enabled) {
            loop.debug.endSlice();
        }
        FlightEvents.stepEnds(loop.currentTask);
        loop.currentTask = null;
        for (;;) {
            if (remaining == 0) {
                if (iterationOpen && stopping) {
                    stopping = false;
                    iterationOpen = false;
                    loop.currentContext = null;
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
                loop.currentTask = t;
                loop.currentContext = t.active;
                if (loop.debug.enabled) {
                    loop.debug.startSlice(t);
                }
                FlightEvents.stepBegins(t);
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
            loop.currentContext = h.context;
        } else {
            callbackContext.vars = h.contextVars;
            loop.currentContext = callbackContext;
        }
        long start = 0L;
        if (loop.debug.enabled) {
            start = loop.debug.startCallback(h);
        }
        try {
            h.invoke();
        } catch (Throwable e) {
            loop.callExceptionHandler(new ExceptionContext("Exception in callback " + h, e, null, h));
        }
        if (loop.debug.enabled) {
            loop.debug.endCallback(h, start);
        }
        loop.currentContext = null;
    }

    /** Timers due, threadsafe calls and (later) I/O become ready; waits first if nothing is ready. */
    private void beginIteration() {
        loop.activity.iterationBegins();
        drainThreadsafe();
        loop.timers.purgeCancelled();
        long timeout;
        if (!ready.isEmpty() || stopping) {
            timeout = 0;
        } else {
            TimerHandle head = loop.timers.head();
            timeout = head == null ? -1 : Math.max(0, head.whenNanos - clock.nanoTime());
        }
        if (timeout != 0) {
            idle(timeout);
            loop.activity.iterationBegins();
            drainThreadsafe();
        } else {
            loop.poller.poll(0);
        }
        loop.timers.moveDue(clock.nanoTime(), ready);
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
            loop.turn.interruptConsumed();
        }
        waitIdle(timeoutNanos);
        if (Thread.interrupted()) {
            loop.turn.interruptConsumed();
        }
    }

    private void waitIdle(long timeoutNanos) {
        if (clock.isVirtual()) {
            TimerHandle head = loop.timers.head();
            if (head != null) {
                if (externalWork.get() == 0 && threadsafe.isEmpty() && clockDriver.jumpTo(head.whenNanos)) {
                    return;
                }
                clockDriver.wakeAt(head.whenNanos, loop.poller::wakeup);
                if (clock.nanoTime() >= head.whenNanos) {
                    return;
                }
            }
            loop.poller.poll(-1);
        } else {
            loop.poller.poll(timeoutNanos);
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
        loop.poller.wakeup();
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

    @Override
    public boolean isOnTurn() {
        return loop.isOnTurn();
    }

    @Override
    public boolean runsTask() {
        return loop.currentTask != null;
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
        return loop.turn.holder();
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
        loop.offTurn.startHelper(name, body);
    }

    @Override
    public Runnable atClose(Runnable action) {
        return loop.offTurn.atClose(action);
    }

    @Override
    public void trackActivity() {
        loop.activity.track();
    }

    @Override
    public long busyNanos(long now) {
        return loop.activity.busyNanos(now);
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
        loop.checkThread("setReadyOrderShuffle");
        this.readyOrderShuffle = random;
    }
}
