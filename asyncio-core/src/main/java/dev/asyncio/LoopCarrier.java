package dev.asyncio;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The scheduler of a {@link CarrierMode#LOOP_CARRIER} loop's virtual threads: the JDK hands it a
 * continuation to run whenever one of them is started or unparked, and the loop's host thread runs
 * them, so every task of the loop is mounted on that one platform thread.
 *
 * <p>On the hot path the continuation is submitted by a virtual thread mounted on the host itself
 * (the task handing over the turn), so no thread is woken; only submissions from other threads (the
 * JDK's timer for a timed park, an unpark by a foreign thread) unpark the host.
 */
final class LoopCarrier implements Executor {
    private final EventLoop loop;
    /** Submitted by code mounted on the host (the turn handing over): touched by the host's thread only. */
    private final ArrayDeque<Runnable> local = new ArrayDeque<>();
    /** Submitted by any other thread. */
    private final ConcurrentLinkedQueue<Runnable> remote = new ConcurrentLinkedQueue<>();
    private volatile Thread parkedHost;

    LoopCarrier(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public void execute(Runnable continuation) {
        if (loop.mountedOnHost(Thread.currentThread())) {
            local.add(continuation);
            return;
        }
        remote.add(continuation);
        Thread h = parkedHost;
        if (h != null) {
            LockSupport.unpark(h);
        }
    }

    /** On the host: run continuations until {@code done} holds. */
    void runUntil(BooleanSupplier done) {
        Thread me = Thread.currentThread();
        while (!done.getAsBoolean()) {
            Runnable next = local.poll();
            if (next == null) {
                next = remote.poll();
            }
            if (next != null) {
                next.run();
                continue;
            }
            parkedHost = me;
            if (remote.isEmpty() && !done.getAsBoolean()) {
                LockSupport.park(this);
            }
            parkedHost = null;
        }
    }
}
