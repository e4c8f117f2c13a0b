package dev.asyncio.reactor;

import dev.asyncio.Clock;
import dev.asyncio.EventLoop;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A loop whose {@link Clock} is Reactor's {@link VirtualTimeScheduler}, so that under
 * {@code StepVerifier.withVirtualTime} a coroutine's {@code sleep} follows {@code thenAwait}.
 *
 * <p><b>The clock.</b> {@code nanoTime} is the scheduler's {@code now(NANOSECONDS)}; the clock is
 * virtual and never jumps by itself; when the idle loop waits for a timer, {@link #wakeAt} schedules a
 * wake-up on the scheduler at that deadline.
 *
 * <p><b>Lockstep.</b> The loop runs on a thread of its own, while the test moves time on its thread
 * ({@code advanceTimeBy} runs the due scheduler tasks right there). For an advance of one hour to see
 * a coroutine that sleeps an hour, the loop must have registered that sleep first, and after a
 * wake-up the coroutine's next sleep must be registered before the scheduler looks for more due tasks.
 * So a wake-up run by the scheduler, and a subscription made from another thread, wait (up to
 * {@link #LOCKSTEP_LIMIT_MILLIS}) until the loop has handled them and is idle again: the coroutines
 * behave as if they ran on the scheduler's thread, which is what Reactor's own operators do under
 * virtual time. The loop reports "idle" through {@link #wakeAt}, which it calls each time it is about
 * to wait (a far-away sentinel timer guarantees it always has a deadline to wait for).
 *
 * <p>One such loop exists at a time, for the current scheduler; when {@code withVirtualTime} installs
 * another scheduler, the previous loop is stopped and closed.
 */
final class VirtualTimeLoop implements Clock {
    /** How long a lockstep wait lasts at most: a coroutine busy longer than this is let run on. */
    static final long LOCKSTEP_LIMIT_MILLIS = 10_000;
    private static final long SENTINEL = Long.MAX_VALUE / 2;
    private static VirtualTimeLoop current;

    private final VirtualTimeScheduler scheduler;
    private final EventLoop loop;
    private final Object lock = new Object();
    /** Earliest deadline with a wake-up pending on the scheduler; loop thread and scheduler tasks. */
    private final AtomicLong pendingWakeUp = new AtomicLong(Long.MAX_VALUE);
    private long posted;
    private long handled;
    private long idleAfter;
    private boolean stopped;
    /** Set by {@link #of} before it stops the loop for good. */
    private volatile boolean retired;

    private VirtualTimeLoop(VirtualTimeScheduler scheduler) {
        this.scheduler = scheduler;
        this.loop = new EventLoop(this);
        loop.callAtNanos(SENTINEL, () -> { });
        Thread.ofPlatform().daemon().name("asyncio-reactor-virtual-time-loop").start(() -> {
            try {
                // Only of() stops this loop for good; an interrupt of its private thread stops one run.
                do {
                    loop.runForever();
                } while (Thread.interrupted() && !retired);
            } finally {
                loop.close();
                synchronized (lock) {
                    stopped = true;
                    lock.notifyAll();
                }
            }
        });
    }

    /** @return the loop for the scheduler {@code StepVerifier.withVirtualTime} has installed */
    static EventLoop forCurrentScheduler() {
        return of(VirtualTimeScheduler.get()).loop;
    }

    static synchronized VirtualTimeLoop of(VirtualTimeScheduler scheduler) {
        VirtualTimeLoop c = current;
        if (c != null && c.scheduler == scheduler) {
            return c;
        }
        if (c != null) {
            c.retired = true;
            c.loop.stop();
        }
        c = new VirtualTimeLoop(scheduler);
        current = c;
        return c;
    }

    /** If {@code loop} is a virtual-time loop, waits (off the loop) until it has caught up and is idle. */
    static void awaitIdle(EventLoop loop) {
        VirtualTimeLoop c;
        synchronized (VirtualTimeLoop.class) {
            c = current;
        }
        if (c != null && c.loop == loop) {
            c.lockstep();
        }
    }

    @Override
    public long nanoTime() {
        return scheduler.now(TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean isVirtual() {
        return true;
    }

    @Override
    public void wakeAt(long deadlineNanos, Runnable wakeup) {
        // Called on the loop's turn just before it waits: it is idle now. Register the wake-up first and
        // only then release a lockstep waiter: the test thread must not move time before the wake-up is
        // on the scheduler, or the deadline would be computed from a time that has moved meanwhile.
        try {
            scheduleWakeUp(deadlineNanos);
        } finally {
            synchronized (lock) {
                idleAfter = handled;
                lock.notifyAll();
            }
        }
    }

    private void scheduleWakeUp(long deadlineNanos) {
        if (deadlineNanos >= SENTINEL || deadlineNanos >= pendingWakeUp.get()) {
            return; // nothing to wait for, or an earlier (or the same) wake-up is on the scheduler already
        }
        pendingWakeUp.set(deadlineNanos);
        long delay = Math.max(0, deadlineNanos - nanoTime());
        try {
            scheduler.schedule(() -> {
                pendingWakeUp.compareAndSet(deadlineNanos, Long.MAX_VALUE);
                lockstep();
            }, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException disposed) {
            // The test is over and its scheduler disposed: time will not move any more.
            pendingWakeUp.set(Long.MAX_VALUE);
        }
    }

    /** Wakes the loop and, unless called on the loop itself, waits until it has handled that and idles. */
    private void lockstep() {
        long epoch;
        synchronized (lock) {
            epoch = ++posted;
        }
        try {
            loop.callSoonThreadsafe(() -> {
                synchronized (lock) {
                    handled = Math.max(handled, epoch);
                }
            });
        } catch (IllegalStateException closed) {
            return;
        }
        if (loop.isOnTurn()) {
            return; // the scheduler ran this on the loop's own thread: waiting would wait for ourselves
        }
        long deadline = System.currentTimeMillis() + LOCKSTEP_LIMIT_MILLIS;
        synchronized (lock) {
            while (idleAfter < epoch && !stopped) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return;
                }
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "VirtualTimeLoop[" + scheduler + ", now=" + nanoTime() + " ns]";
    }
}
