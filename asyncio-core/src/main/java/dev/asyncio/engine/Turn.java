package dev.asyncio.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The turn of one event loop: which thread may run the loop's code now, and how that right passes from
 * thread to thread. Owns the turn-holder, the host (the thread running {@code runForever} or {@code close}),
 * the virtual threads of the loop's fibers (started here, on the loop's own {@link LoopCarrier} in
 * loop-carrier mode), the eager-start hand-over, and the accounting of interrupts of those threads (an
 * interrupt of the host is asyncio's Ctrl-C).
 *
 * <p>Kept apart from the loop's scheduling (the ready queue and its dispatcher, {@link #dispatch()})
 * because this is where the concurrency is: every hand-over is a volatile write of the holder followed by
 * an unpark (or a {@link LoopCarrier} hand-over), and every wait re-reads it; the happens-before edge that
 * lets coroutines of one loop share state without locks is made here and nowhere else. Apart from the
 * volatile fields, everything here is touched only by the turn-holder or by the host.
 *
 * <p><b>The fiber.</b> {@code F} is what runs on one virtual thread of the loop (in {@code dev.asyncio},
 * its task). The engine knows no API type, so the one subclass keeps the one thing a turn needs per fiber,
 * its thread ({@link #threadOf}), in the fiber's own field, and supplies its body and what the loop's
 * policy makes of a stop, a close or an interrupt: no object per fiber, and with one subclass loaded every
 * hook is inlined where it is called (see docs/architecture.md, "Packages").
 *
 * @param <F> the fiber type: what the dispatcher returns and what suspends
 */
public abstract class Turn<F> implements Runnable {
    /** Returned by {@link #dispatch()} when the loop stops: the turn goes back to the host. */
    public static final Object HOST = new Object();

    private final LoopCarrier<F> carrier;
    private final Thread.Builder.OfVirtual threads;
    private volatile Thread holder;
    private volatile Thread host;
    /**
     * Interrupts of the host consumed during the current run; the flag is set again when the run returns.
     * Counted by the host's own waits, and in loop-carrier mode also by the interrupting thread (see
     * {@link LoopCarrier#runUntil}); read by the host.
     */
    private final AtomicInteger hostInterrupts = new AtomicInteger();
    /** {@link #hostInterrupted()}, one instance, so that the host's interrupt witness is reused from wait to wait. */
    private final Runnable reportHostInterrupt = this::hostInterrupted;
    /** Set on the turn when the turn-holder, a fiber's thread, swallowed its own interrupt while waiting for I/O. */
    private boolean turnInterruptOwed;
    /**
     * The fiber running the innermost eager first step, and the thread that started it and waits for the turn
     * back (with, in loop-carrier mode, that thread's continuation); the outer ones are saved on the callers'
     * stacks in {@link #runEagerStep}. Kept here rather than per fiber: only one eager step runs at a time.
     */
    private F eagerFiber;
    private Thread eagerCaller;
    private Runnable eagerCallerContinuation;
    /** A bug in the loop itself, caught on a fiber's thread; rethrown by the host or the eager step's caller. */
    private Throwable fatal;
    /** The fiber whose thread is being started, from {@link #handTo} until that thread runs {@link #takeStarting()}. */
    private F starting;

    /**
     * @param internals the JDK internals to schedule the loop's threads on its own carrier (loop-carrier
     *     mode, already checked to work), or {@code null} for the JDK's default scheduler (portable mode)
     */
    protected Turn(VirtualThreadInternals internals) {
        if (internals != null) {
            carrier = new LoopCarrier<>(this, internals);
            threads = internals.builder(carrier);
        } else {
            carrier = null;
            threads = Thread.ofVirtual();
        }
        threads.inheritInheritableThreadLocals(false);
    }

    // ------------------------------------------------------------------ what the subclass supplies

    /**
     * The loop's dispatcher, on the turn: runs ready callbacks until the next step belongs to a fiber, and
     * returns that fiber, or {@link #HOST} when the loop stops.
     *
     * @return the fiber to run next, or {@link #HOST}
     */
    protected abstract Object dispatch();

    /**
     * @param fiber a fiber of the loop
     * @return its virtual thread, or {@code null} before it first runs
     */
    protected abstract Thread threadOf(F fiber);

    /**
     * Records the virtual thread created for {@code fiber}, on the turn, before it starts.
     *
     * @param fiber a fiber of the loop
     * @param thread its thread
     */
    protected abstract void setThread(F fiber, Thread thread);

    /**
     * The body of every thread the turn starts, the same object for all of them (a body per thread would be
     * one more object per parked task): runs the fiber the thread was started for, {@link #takeStarting()}.
     * It must end each fiber it runs with {@link #fiberExited} (and run the fiber that returns, on the same
     * thread) or {@link #internalError}. Runs on the new thread, which holds the turn.
     */
    @Override
    public abstract void run();

    /**
     * On a thread the turn has just started, first thing: the fiber it was started for. Only one thread is
     * ever being started: the turn passes to it at once, and nobody else hands the turn on before it runs.
     *
     * @return the fiber
     */
    protected final F takeStarting() {
        F f = starting;
        starting = null;
        return f;
    }

    /**
     * @param fiber a fiber about to get its thread
     * @return the name its thread gets, or {@code null} for the JDK's default (an unnamed virtual thread)
     */
    protected abstract String threadName(F fiber);

    /** @return whether the loop is being closed: a fiber can no longer suspend, and every exit goes to the host */
    protected abstract boolean closing();

    /**
     * The error a fiber's {@link #suspend} raises when the loop is closed around it.
     *
     * @param fiber the fiber
     * @param beforeSuspending whether the loop was closed already when it tried to suspend, rather than
     *     while it was suspended
     * @return the error to throw on the fiber's thread
     */
    protected abstract RuntimeException closedAround(F fiber, boolean beforeSuspending);

    /**
     * The host was interrupted while the loop ran. Called on the host, or in loop-carrier mode on the
     * interrupting thread while the host waits for the turn: must be thread-safe and must not block.
     */
    protected abstract void onHostInterrupt();

    // ------------------------------------------------------------------ who holds it

    /** @return whether the calling thread holds the turn; any thread */
    public final boolean isHeldByCaller() {
        return holder == Thread.currentThread();
    }

    /** @return whether the calling thread may act on loop state: it holds the turn, or the loop is not running; any thread */
    public final boolean isOnTurnOrIdle() {
        Thread t = holder;
        return t == null || t == Thread.currentThread();
    }

    /** @return the thread that holds the turn now, or {@code null} while the loop is not running; any thread */
    public final Thread holder() {
        return holder;
    }

    /** @return the thread hosting the loop while it runs, else {@code null}; any thread */
    public final Thread host() {
        return host;
    }

    /**
     * The calling thread becomes the host and holds the turn, for one run or for {@code close()}. A subclass
     * that overrides it to reset its own per-run state calls this first.
     *
     * @param me the calling thread
     */
    public void enterHost(Thread me) {
        host = me;
        holder = me;
        hostInterrupts.set(0);
    }

    /**
     * Ends what {@link #enterHost} began: nobody holds the turn any more. Gives the host back the interrupt
     * flag its waits consumed. A subclass that overrides it calls this last.
     *
     * @param me the calling thread, the host
     */
    public void leaveHost(Thread me) {
        holder = null;
        host = null;
        if (hostInterrupts.get() > 0) {
            me.interrupt(); // consumed while waiting so as not to spin: give it back to the caller
        }
    }

    /**
     * Rethrows, on the host or an eager step's caller, an internal error caught on a fiber's thread.
     *
     * @throws IllegalStateException wrapping that error, if there was one
     */
    public final void rethrowFatal() {
        Throwable f = fatal;
        if (f != null) {
            fatal = null;
            throw new IllegalStateException("internal error in the event loop", f);
        }
    }

    // ------------------------------------------------------------------ handing it over

    /**
     * Runs the loop on the calling thread, the host, which holds the turn, until the next step belongs to
     * it again; hands the turn over and waits for it in between.
     *
     * @param me the calling thread
     */
    public final void switchFrom(Thread me) {
        Object next = dispatch();
        if (next == HOST ? host == me : threadOf(fiber(next)) == me) {
            return;
        }
        handTo(next);
        awaitTurn(me);
    }

    @SuppressWarnings("unchecked")
    private F fiber(Object next) {
        return (F) next;
    }

    /**
     * Gives the turn to {@code next}: a fiber (its thread started if new) or {@link #HOST}. The caller must
     * not touch loop state afterwards.
     *
     * @param next what {@link #dispatch()} returned, or a fiber the host resumes while closing
     */
    public final void handTo(Object next) {
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
        F f = fiber(next);
        Thread th = threadOf(f);
        boolean start = th == null;
        if (start) {
            th = threads.unstarted(this);
            String name = threadName(f);
            if (name != null) {
                th.setName(name);
            }
            setThread(f, th);
        }
        holder = th;
        if (start) {
            starting = f; // published to the new thread by its start
        }
        if (carrier != null) {
            if (start) {
                carrier.start(th);
            } else {
                carrier.handOver(th, carrier.continuationOf(th));
            }
        } else if (start) {
            th.start();
        } else {
            LockSupport.unpark(th);
        }
    }

    /**
     * Waits until the turn comes back to {@code me}, the calling thread. Never spins on an interrupt: the
     * host's is acted on at once ({@link #onHostInterrupt()}); a fiber thread's is consumed and reported.
     *
     * @param me the calling thread
     * @return whether a fiber thread's interrupt flag was consumed meanwhile, for the caller to set again
     */
    public final boolean awaitTurn(Thread me) {
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
     * Runs the first step of a new fiber now: hands the turn to its thread and waits for it to come back
     * (the fiber's {@link #suspend} or {@link #fiberExited} returns it to the caller instead of
     * dispatching). The caller may be the host or any turn-holding fiber thread, even one in the middle of
     * running callbacks; loop state is untouched meanwhile except by the fiber itself.
     *
     * @param fiber the new fiber
     * @return whether the caller's interrupt flag was consumed meanwhile, for the caller to set again
     */
    public final boolean runEagerStep(F fiber) {
        Thread me = Thread.currentThread();
        F outerFiber = eagerFiber;
        Thread outerCaller = eagerCaller;
        Runnable outerCallerContinuation = eagerCallerContinuation;
        eagerFiber = fiber;
        eagerCaller = me;
        eagerCallerContinuation = carrier != null ? carrier.turnContinuation() : null;
        handTo(fiber);
        boolean interrupted = awaitTurn(me);
        eagerFiber = outerFiber;
        eagerCaller = outerCaller;
        eagerCallerContinuation = outerCallerContinuation;
        return interrupted;
    }

    /** Gives the turn back to the creator of an eagerly started fiber; true if {@code fiber} was one. */
    private boolean returnFromEagerStep(F fiber) {
        if (fiber != eagerFiber) {
            return false;
        }
        Thread caller = eagerCaller;
        eagerFiber = null; // its later suspensions dispatch as any fiber's; runEagerStep restores the outer one
        holder = caller;
        if (carrier != null) {
            carrier.handOver(caller, eagerCallerContinuation);
        } else {
            LockSupport.unpark(caller);
        }
        return true;
    }

    // ------------------------------------------------------------------ fiber threads

    /**
     * A bug in the loop itself, on a fiber's thread, its last act: never leave the turn stranded on a dead
     * thread. The host (or the eager step's caller) rethrows it from {@link #rethrowFatal()}.
     *
     * @param fiber the fiber whose thread caught it
     * @param internal the error
     */
    public final void internalError(F fiber, Throwable internal) {
        fatal = internal;
        if (!returnFromEagerStep(fiber)) {
            handTo(HOST);
        }
    }

    /**
     * Called on a fiber's thread: waits until the loop resumes this fiber. An interrupt of the thread meanwhile
     * is kept for the fiber (its flag is set again on return), not acted on.
     *
     * @param fiber the calling fiber, which holds the turn
     * @throws RuntimeException {@link #closedAround} if the loop is closed, or was closed meanwhile
     */
    public final void suspend(F fiber) {
        if (closing()) {
            throw closedAround(fiber, true);
        }
        // switchFrom and awaitTurn written out: every frame here is kept in each parked fiber's stack.
        Thread me = threadOf(fiber);
        // Interrupting a task's thread is not cancellation (docs/design.md §4): keep the flag for the task, but
        // off while it waits, or park would return at once and this loop would spin.
        boolean interrupted = Thread.interrupted();
        if (!returnFromEagerStep(fiber)) {
            Object next = dispatch();
            interrupted |= takeOwedInterrupt();
            if (next != fiber) {
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
        if (closing()) {
            throw closedAround(fiber, false);
        }
    }

    /**
     * Called on a finished fiber's thread: passes the turn on, or keeps it to run the next fiber on this
     * same thread. In loop-carrier mode, when the next step belongs to a fiber that never ran and this
     * thread is as fresh as a new one would be (no thread-local map, no inheritable one, no uncaught-exception
     * handler of its own; its interrupt flag is cleared here, its context class loader is the one a thread
     * it created would inherit), the fiber runs here: no thread is created and no hand-over happens, which is
     * what a burst of short tasks (a gather of a million) costs otherwise. The fiber's thread is then this
     * one, still holding the turn. Otherwise the turn passes on and this thread ends.
     *
     * @param fiber the calling fiber, finished
     * @return the never-run fiber to run next on the calling thread, or {@code null}: the thread ends
     */
    public final F fiberExited(F fiber) {
        // The thread ends or starts afresh here: an interrupt it still carries is nobody's concern any more.
        Thread.interrupted();
        if (closing()) {
            handTo(HOST);
            return null;
        }
        if (returnFromEagerStep(fiber)) {
            return null;
        }
        Object next = dispatch();
        turnInterruptOwed = false;
        if (next != HOST && carrier != null) {
            F f = fiber(next);
            Thread me = Thread.currentThread();
            if (threadOf(f) == null && carrier.isFresh(me)) {
                String name = threadName(f);
                if (name != null || !me.getName().isEmpty()) {
                    me.setName(name == null ? "" : name);
                }
                setThread(f, me);
                return f;
            }
        }
        handTo(next);
        return null;
    }

    // ------------------------------------------------------------------ interrupts

    /**
     * The host was interrupted: its flag is consumed where it was seen, so that no park loop spins on it,
     * and it is counted, to be given back when the run ends, and handed to the loop's policy. Called on the
     * host's own thread, or in loop-carrier mode on the interrupting thread while the host waits for the
     * turn; thread-safe and never blocks.
     */
    private void hostInterrupted() {
        hostInterrupts.incrementAndGet();
        onHostInterrupt();
    }

    /** On the turn: the calling thread's interrupt flag was consumed while the loop waited on it. */
    public final void interruptConsumed() {
        if (Thread.currentThread() == host) {
            hostInterrupted();
        } else {
            turnInterruptOwed = true;
        }
    }

    /** On the turn, for a fiber's thread after {@link #dispatch()}: whether its own interrupt was consumed. */
    private boolean takeOwedInterrupt() {
        boolean owed = turnInterruptOwed;
        turnInterruptOwed = false;
        return owed;
    }
}
