package dev.asyncio.engine;

import java.io.IOException;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The scheduler of a loop-carrier mode loop's virtual threads: the JDK hands it a
 * continuation to run whenever one of them is started or unparked, and the loop's host thread runs
 * them, so every task of the loop is mounted on that one platform thread.
 *
 * <p>On the hot path the continuation is submitted by a virtual thread mounted on the host itself
 * (the task handing over the turn), so no thread is woken; only submissions from other threads (the
 * JDK's timer for a timed park, its I/O poller, an unpark by a foreign thread) unpark the host.
 *
 * <p><b>Only the loop's own threads.</b> A virtual thread inherits the scheduler of the virtual thread
 * that creates it, so a thread that a coroutine starts ({@code Thread.ofVirtual().start(…)}, a
 * virtual-thread-per-task executor, a library's helper) would otherwise run on the host, between the
 * loop's steps, and would never run again once the loop is closed. Such continuations go to the JDK's
 * default scheduler instead. A continuation is the loop's own when it belongs to the task thread holding
 * the turn: the loop records that thread's continuation before it starts or unparks it, and the JDK hands
 * the same one over when it wakes that thread from a timed park, a selector or a monitor. Anything else,
 * including a stray unpark of a parked task, runs on the default scheduler, where a parked task only
 * checks that the turn is not its own and parks again.
 */
final class LoopCarrier<F> implements Executor {
    private final Turn<F> turn;
    private final VirtualThreadInternals internals;
    /** Submitted by code mounted on the host (the turn handing over): touched by the host's thread only. */
    private final ArrayDeque<Runnable> local = new ArrayDeque<>();
    /** Submitted by any other thread. */
    private final ConcurrentLinkedQueue<Runnable> remote = new ConcurrentLinkedQueue<>();
    private volatile Thread parkedHost;
    /** The continuation of the task thread holding the turn, or {@code null} while the host holds it. */
    private volatile Runnable turnContinuation;
    /** Reused from wait to wait of the host until it fires; touched by the host's thread only. */
    private InterruptWitness witness;

    LoopCarrier(Turn<F> turn, VirtualThreadInternals internals) {
        this.turn = turn;
        this.internals = internals;
    }

    @Override
    public void execute(Runnable continuation) {
        if (continuation != turnContinuation) {
            internals.defaultScheduler().execute(continuation);
            return;
        }
        if (VirtualThreadInternals.currentCarrierThread() == turn.host()) {
            local.add(continuation);
            return;
        }
        remote.add(continuation);
        Thread h = parkedHost;
        if (h != null) {
            LockSupport.unpark(h);
        }
    }

    /**
     * Starts the thread of one of the loop's fibers, which receives the turn.
     */
    void start(Thread thread) {
        turnContinuation = continuationOf(thread);
        thread.start();
    }

    /**
     * @param thread the calling thread, one of the loop's, whose fiber has finished
     * @return whether it carries no state a fiber could leave behind for the next: no thread-local map (the
     *     loop's own code makes none in this mode), no inheritable one, no uncaught-exception handler
     */
    boolean isFresh(Thread thread) {
        return internals.hasNoThreadState(thread);
    }

    /** @return the continuation the JDK hands this scheduler to run {@code thread}, one of the loop's */
    Runnable continuationOf(Thread thread) {
        return internals.runContinuation(thread);
    }

    /**
     * Gives the turn to a parked task thread whose continuation is {@code continuation}, or to the
     * host's own thread when {@code thread} is the host (then {@code continuation} is {@code null}).
     */
    void handOver(Thread thread, Runnable continuation) {
        turnContinuation = continuation;
        LockSupport.unpark(thread);
    }

    /** @return the continuation of the task thread that holds the turn, {@code null} for the host */
    Runnable turnContinuation() {
        return turnContinuation;
    }

    /**
     * On the host: runs continuations until {@code done} holds. Never spins on an interrupt, and never
     * loses one: each interrupt of the host is reported to {@code onInterrupt} once, by the
     * {@link InterruptWitness}, on the interrupting thread, at the moment it happens, so
     * {@code onInterrupt} must be thread-safe and must not block. Reporting there rather than here is
     * what makes the report independent of what the host is doing: while it carries a task thread that
     * cannot unmount (a select that pins its carrier, as on JDK 21), this loop does not run again until
     * that thread yields, and only the report (which wakes the loop's selector) can make it yield. The
     * host's flag is cleared here once seen, so that its next park does not return at once.
     */
    void runUntil(BooleanSupplier done, Runnable onInterrupt) {
        Thread me = Thread.currentThread();
        InterruptWitness armed = armedWitness(me, onInterrupt);
        try {
            while (!done.getAsBoolean()) {
                Runnable next = local.poll();
                if (next == null) {
                    next = remote.poll();
                }
                if (next != null) {
                    next.run();
                } else {
                    parkedHost = me;
                    if (remote.isEmpty() && !done.getAsBoolean()) {
                        LockSupport.park(this);
                    }
                    parkedHost = null;
                }
                if (armed.seen) {
                    // Already reported. Clear the flag before arming again: a witness armed on an
                    // interrupted thread fires at once, which would report this interrupt twice. One that
                    // lands between the two is merged with this one, as interrupts of a thread always are.
                    Thread.interrupted();
                    armed.retire();
                    armed = armedWitness(me, onInterrupt);
                }
            }
        } finally {
            armed.retire();
            if (armed.seen) {
                Thread.interrupted(); // reported: the loop restores the flag when the run ends
            }
        }
    }

    /**
     * The host's witness, armed for this wait: the last one again while it has seen nothing (a channel
     * can be begun and ended any number of times), a new one after it fired (a closed channel witnesses
     * nothing more) or for another host thread or report. Host only.
     */
    private InterruptWitness armedWitness(Thread me, Runnable onInterrupt) {
        InterruptWitness w = witness;
        if (w == null || w.seen || w.host != me || w.onInterrupt != onInterrupt) {
            w = new InterruptWitness(me, onInterrupt);
            witness = w;
        } else {
            w.arm();
        }
        return w;
    }

    /**
     * Sees an interrupt of the host that the JDK would otherwise erase: mounting a virtual thread that is
     * not itself interrupted clears its carrier's flag ({@code VirtualThread.mount}), and here the host is
     * the carrier, so an interrupt landing just before the host runs a continuation left no trace and the
     * run went on forever. {@link Thread#interrupt()} also closes the interruptible channel the target is
     * blocked in, on the interrupting thread, and the host stays "blocked in" this one (a channel with no
     * I/O) while it carries the loop's threads; a virtual thread's own channel operations register on the
     * virtual thread, not on its carrier.
     */
    private static final class InterruptWitness extends AbstractInterruptibleChannel {
        private final Thread host;
        private final Runnable onInterrupt;
        volatile boolean seen;

        /** Arms the witness for the calling thread, the host: fires at once if its flag is already set. */
        InterruptWitness(Thread host, Runnable onInterrupt) {
            this.host = host;
            this.onInterrupt = onInterrupt;
            begin();
        }

        /** Arms it again, on the host, after {@link #retire()}; fires at once if the flag is set. */
        void arm() {
            begin();
        }

        /** On the host: stops witnessing; {@link #seen} keeps what was seen. */
        void retire() {
            try {
                end(true);
            } catch (IOException interruptedMeanwhile) {
                // ClosedByInterruptException: seen is already set, which is all this reports
            }
        }

        /**
         * Called once, by {@link Thread#interrupt()} on the interrupting thread (under the host's interrupt
         * lock) or by {@code begin()} on the host: reports the interrupt, then wakes the host. Must not block.
         */
        @Override
        protected void implCloseChannel() {
            try {
                onInterrupt.run();
            } finally {
                seen = true;
                LockSupport.unpark(host);
            }
        }
    }
}
