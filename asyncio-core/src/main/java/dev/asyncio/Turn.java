package dev.asyncio;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The turn of one {@link EventLoop}: which thread may run the loop's code now, and how that right passes
 * from thread to thread. Owns the turn-holder, the host (the thread running {@code runForever} or
 * {@code close}), the virtual threads of the loop's tasks (started here, on the loop's own
 * {@link LoopCarrier} in {@link CarrierMode#LOOP_CARRIER} mode), the eager-start hand-over, and what
 * the loop makes of interrupts of those threads (an interrupt of the host is asyncio's Ctrl-C).
 *
 * <p>Kept apart from the loop's scheduling (the ready queue and {@link EventLoopEngine#dispatch()}) because
 * this is where the concurrency is: every hand-over is a volatile write of {@link #holder} followed by an
 * unpark (or a {@link LoopCarrier} hand-over), and every wait re-reads it; the happens-before edge that
 * lets coroutines of one loop share state without locks is made here and nowhere else. Apart from the
 * volatile fields, everything here is touched only by the turn-holder or by the host.
 */
final class Turn {
    /** Marker returned by the dispatcher when the loop stops: the turn goes back to the host. */
    static final Object HOST = new Object();

    private final EventLoop loop;
    private final LoopCarrier carrier;
    private final Thread.Builder.OfVirtual threads;
    private volatile Thread holder;
    private volatile Thread host;
    /** What an interrupt of the host does while the loop runs; {@code null}: stop (see {@link EventLoop#runForever()}). */
    private Runnable hostInterruptAction;
    /**
     * Interrupts of the host consumed during the current run; the flag is set again when the run returns.
     * Counted by the host's own waits, and in loop-carrier mode also by the interrupting thread (see
     * {@link LoopCarrier#runUntil}); read by the host.
     */
    private final AtomicInteger hostInterrupts = new AtomicInteger();
    /** {@link #hostInterrupted()}, one instance, so that the host's interrupt witness is reused from wait to wait. */
    private final Runnable reportHostInterrupt = this::hostInterrupted;
    /** The task dump taken when the host was first interrupted in the current run, for the error it ends with. */
    private String interruptDump;
    /** Set on the turn when the turn-holder, a task's thread, swallowed its own interrupt while waiting for I/O. */
    private boolean turnInterruptOwed;
    /** Loop-carrier mode: the continuation of the thread running the innermost eager step's caller. */
    private Runnable eagerCallerContinuation;
    /** A bug in the loop itself, caught on a task's thread; rethrown by the host or the eager step's caller. */
    private Throwable fatal;

    Turn(EventLoop loop, CarrierMode mode) {
        this.loop = loop;
        if (mode == CarrierMode.LOOP_CARRIER) {
            carrier = new LoopCarrier(this);
            threads = CarrierMode.loopScheduledBuilder(carrier);
        } else {
            carrier = null;
            threads = Thread.ofVirtual();
        }
        threads.inheritInheritableThreadLocals(false);
    }

    // ------------------------------------------------------------------ who holds it

    /** @return whether the calling thread holds the turn; any thread */
    boolean isHeldByCaller() {
        return holder == Thread.currentThread();
    }

    /** Whether the calling thread may act on loop state: it holds the turn, or the loop is not running. */
    boolean isOnTurnOrIdle() {
        Thread t = holder;
        return t == null || t == Thread.currentThread();
    }

    /** The thread that holds the turn now, or {@code null} while the loop is not running; any thread. */
    Thread holder() {
        return holder;
    }

    /** @return the thread hosting the loop while it runs, else {@code null}; any thread */
    Thread host() {
        return host;
    }

    /** The calling thread becomes the host and holds the turn, for one run or for {@code close()}. */
    void enterHost(Thread me) {
        host = me;
        holder = me;
        hostInterrupts.set(0);
        interruptDump = null;
    }

    /** Ends what {@link #enterHost} began: nobody holds the turn any more. */
    void leaveHost(Thread me) {
        hostInterruptAction = null;
        holder = null;
        host = null;
        if (hostInterrupts.get() > 0) {
            me.interrupt(); // consumed while waiting so as not to spin: give it back to the caller
        }
    }

    /** Rethrows, on the host or an eager step's caller, an internal error caught on a task's thread. */
    void rethrowFatal() {
        Throwable f = fatal;
        if (f != null) {
            fatal = null;
            throw new IllegalStateException("internal error in the event loop", f);
        }
    }

    // ------------------------------------------------------------------ handing it over

    /**
     * Runs the loop on the calling thread, which holds the turn, until the next step belongs to
     * {@code me}; hands the turn over and waits for it in between.
     */
    void switchFrom(Thread me) {
        Object next = loop.engine.dispatch();
        if (next == HOST ? host == me : ((Task<?>) next).thread == me) {
            return;
        }
        handTo(next);
        awaitTurn(me);
    }

    /** Gives the turn to {@code next} (a task, started if new, or {@link #HOST}). The caller must not touch loop state afterwards. */
    void handTo(Object next) {
        if (next == HOST) {
            Thread h = host;
            holder = h;
            if (carrier != null) {
                carrier.handOver(h, null);
            } else {
                LockSupport.unpark(h);
            }
            return;
        }
        Task<?> t = (Task<?>) next;
        Thread th = t.thread;
        boolean start = th == null;
        if (start) {
            th = threads.unstarted(t::runOnThread);
            if (loop.getDebug()) {
                th.setName(t.getName());
            }
            t.thread = th;
        }
        if (carrier != null) {
            holder = th;
            if (start) {
                carrier.start(t);
            } else {
                carrier.handOver(th, t.continuation);
            }
        } else {
            holder = th;
            if (start) {
                th.start();
            } else {
                LockSupport.unpark(th);
            }
        }
    }

    /**
     * Waits until the turn comes back to {@code me}, the calling thread. Never spins on an interrupt: the
     * host's is acted on at once ({@link #hostInterrupted()}); a task thread's is consumed and reported.
     *
     * @return whether a task thread's interrupt flag was consumed meanwhile, for the caller to set again
     */
    boolean awaitTurn(Thread me) {
        if (carrier != null && me == host) {
            carrier.runUntil(() -> holder == me, reportHostInterrupt);
            return false;
        }
        boolean interrupted = false;
        if (holder != me) { // tested apart from the re-test after a wake: see suspend()
            do {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    if (me == host) {
                        hostInterrupted();
                    } else {
                        interrupted = true;
                    }
                }
            } while (holder != me);
        }
        return interrupted;
    }

    /**
     * Runs the first step of a new task now: hands the turn to its thread and waits for it to come back
     * (the task's {@link #suspend} or {@link #taskExited} returns it to the caller instead of
     * dispatching). The caller may be the host or any turn-holding task thread, even one in the middle
     * of running callbacks; loop state is untouched meanwhile except by the task itself.
     *
     * @return whether the caller's interrupt flag was consumed meanwhile, for the caller to set again
     */
    boolean runEagerStep(Task<?> task) {
        Thread me = Thread.currentThread();
        Runnable outerCallerContinuation = eagerCallerContinuation;
        eagerCallerContinuation = carrier != null ? carrier.turnContinuation() : null;
        task.eagerCaller = me;
        handTo(task);
        boolean interrupted = awaitTurn(me);
        eagerCallerContinuation = outerCallerContinuation;
        return interrupted;
    }

    /** Gives the turn back to the creator of an eagerly started task; true if {@code task} was one. */
    private boolean returnFromEagerStep(Task<?> task) {
        Thread caller = task.eagerCaller;
        if (caller == null) {
            return false;
        }
        task.eagerCaller = null;
        holder = caller;
        if (carrier != null) {
            carrier.handOver(caller, eagerCallerContinuation);
        } else {
            LockSupport.unpark(caller);
        }
        return true;
    }

    // ------------------------------------------------------------------ task threads

    /** A bug in the loop itself, on a task's thread: never leave the turn stranded on a dead thread. */
    void internalError(Task<?> t, Throwable internal) {
        fatal = internal;
        if (!returnFromEagerStep(t)) {
            handTo(HOST);
        }
    }

    /** Called on a task's thread: wait until the loop resumes this task. */
    void suspend(Task<?> task) {
        if (loop.engine.isClosing()) {
            throw new IllegalStateException("the event loop is closed: " + task.getName() + " cannot suspend any more");
        }
        // switchFrom and awaitTurn written out: every frame here is kept in each parked task's stack.
        Thread me = task.thread;
        // Interrupting a task's thread is not cancellation (docs/design.md §4): keep the flag for the task, but
        // off while it waits, or park would return at once and this loop would spin.
        boolean interrupted = Thread.interrupted();
        if (!returnFromEagerStep(task)) {
            Object next = loop.engine.dispatch();
            interrupted |= takeOwedInterrupt();
            if (next != task) {
                handTo(next);
            }
        }
        // Not `while (holder != me) park`: that is one branch, tested before the first park and after each
        // wake, and when many tasks park before any of them resumes (a million sleepers) the JIT sees it
        // exit never and compiles an uncommon trap on the exit; every parked frame then deoptimizes on its
        // own when it resumes (measured: one deoptimization per task, most of the wall time of a million
        // one-hour sleeps on a virtual clock). The test after a wake is a bytecode of its own, so the
        // frames that a parked task keeps are compiled with a normal exit.
        if (holder != me) {
            do {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            } while (holder != me);
        }
        if (interrupted) {
            me.interrupt();
        }
        if (loop.engine.isClosing()) {
            throw new CancelledError("the event loop was closed while " + task.getName() + " was pending");
        }
    }

    /** Called on a finished task's thread, its last act: pass the turn on for good. */
    void taskExited(Task<?> task) {
        // The thread ends here: an interrupt it still carries is nobody's concern any more.
        Thread.interrupted();
        if (loop.engine.isClosing()) {
            handTo(HOST);
        } else if (!returnFromEagerStep(task)) {
            Object next = loop.engine.dispatch();
            turnInterruptOwed = false;
            handTo(next);
        }
    }

    // ------------------------------------------------------------------ interrupts

    /**
     * The host was interrupted: its flag is consumed where it was seen, so that no park loop spins on it,
     * and the interrupt is acted on through the threadsafe queue, since the host may be waiting while a
     * task holds the turn. Called on the host's own thread, or in loop-carrier mode on the interrupting
     * thread while the host waits for the turn; thread-safe and never blocks.
     */
    private void hostInterrupted() {
        hostInterrupts.incrementAndGet();
        loop.engine.enqueueThreadsafe(new Handle(loop, this::onHostInterrupt, Context.EMPTY));
    }

    /** On the turn: what an interrupt of the host means (see {@link EventLoop#runForever()}). */
    private void onHostInterrupt() {
        if (!loop.isRunning()) {
            return; // close() unwinds what is left whatever happens; the flag is restored when it returns
        }
        if (interruptDump == null) {
            interruptDump = TaskDump.of(loop);
        }
        Runnable action = hostInterruptAction;
        if (action != null) {
            hostInterruptAction = null; // a second interrupt stops the loop, as asyncio's second Ctrl-C
            action.run();
        } else {
            loop.stop();
        }
    }

    /**
     * Sets what the next interrupt of the host does instead of stopping the loop, once: {@link Runner#run}
     * cancels its main task. Cleared when the run ends.
     */
    void onNextHostInterrupt(Runnable action) {
        hostInterruptAction = action;
    }

    /** @return the task dump taken when the host was first interrupted in the last run, or {@code null} */
    String interruptDump() {
        return interruptDump;
    }

    /** On the turn: the calling thread's interrupt flag was consumed while the loop waited on it. */
    void interruptConsumed() {
        if (Thread.currentThread() == host) {
            hostInterrupted();
        } else {
            turnInterruptOwed = true;
        }
    }

    /** On the turn, for a task's thread after {@link EventLoopEngine#dispatch()}: whether its own interrupt was consumed. */
    private boolean takeOwedInterrupt() {
        boolean owed = turnInterruptOwed;
        turnInterruptOwed = false;
        return owed;
    }
}
