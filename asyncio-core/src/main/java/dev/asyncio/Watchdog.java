package dev.asyncio;

import dev.asyncio.engine.LoopEngine;
import dev.asyncio.engine.LoopRegistry;
import dev.asyncio.engine.StepInFlight;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Debug mode's watchdog: one daemon platform thread, shared by all loops, that samples every running
 * debug-mode loop a few times per slow-callback duration and reports a step or callback that has held
 * the turn past that duration <em>while it is still stuck</em>, with the stack of the thread holding
 * the turn. The loop itself can only measure a step after it ends, and tools such as BlockHound
 * cannot see blocking calls on virtual threads, so this is how debug mode says where a loop is stuck.
 *
 * <p>A stuck step is reported when it crosses the threshold and again each time its time doubles.
 * The thread parks without a deadline while no debug loop runs; {@link #wake()} starts or wakes it.
 */
final class Watchdog implements Runnable {
    /** Bounds of the sampling period: responsive for small thresholds, cheap for large ones. */
    private static final long MIN_PERIOD_NANOS = Duration.ofMillis(2).toNanos();
    private static final long MAX_PERIOD_NANOS = Duration.ofMillis(250).toNanos();
    private static Thread thread;

    private Watchdog() {
    }

    /** A debug loop started running (or turned debug on): make sure it is watched. Any thread. */
    static void wake() {
        Thread t;
        synchronized (Watchdog.class) {
            t = thread;
            if (t == null) {
                t = Thread.ofPlatform().daemon().name("asyncio-debug-watchdog").unstarted(new Watchdog());
                thread = t;
                t.start();
                return;
            }
        }
        LockSupport.unpark(t);
    }

    @Override
    public void run() {
        while (true) {
            long period = -1;
            for (LoopEngine running : LoopRegistry.runningLoops()) {
                EventLoop loop = (EventLoop) running.loop();
                if (!loop.getDebug()) {
                    continue;
                }
                long threshold = loop.getSlowCallbackDuration().toNanos();
                long p = Math.clamp(threshold / 4, MIN_PERIOD_NANOS, MAX_PERIOD_NANOS);
                period = period < 0 ? p : Math.min(period, p);
                try {
                    inspect(loop, threshold);
                } catch (Throwable e) {
                    // Diagnostics must never take the watchdog down with them.
                    System.getLogger("dev.asyncio").log(System.Logger.Level.ERROR, "asyncio debug watchdog failed", e);
                }
            }
            if (period < 0) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, period);
            }
            // Nobody may stop this shared daemon: an interrupt would only make every park return at once.
            Thread.interrupted();
        }
    }

    private static void inspect(EventLoop loop, long threshold) {
        StepInFlight step = loop.engine.debug.inFlight;
        if (step == null) {
            return;
        }
        long elapsed = System.nanoTime() - step.startNanos;
        if (elapsed <= threshold || elapsed < 2 * step.reportedUpTo) {
            return;
        }
        Thread holder = loop.engine.turn.holder();
        StackTraceElement[] stack = holder == null ? new StackTraceElement[0] : holder.getStackTrace();
        if (loop.engine.debug.inFlight != step) {
            return; // it ended while the stack was taken: the stack would describe something else
        }
        if (stack.length == 0) {
            // The task's thread has not begun to run yet (e.g. the JVM is still starting its first virtual
            // threads): the time is the loop's own, not the task's; look again at the next sample.
            return;
        }
        step.reportedUpTo = elapsed;
        Task<?> task = step.owner instanceof Task<?> t ? t : null;
        Handle handle = step.owner instanceof Handle h ? h : null;
        loop.engine.debug.reportSlow(new SlowCallback(loop, task, handle, Duration.ofNanos(elapsed), true, Arrays.asList(stack)));
    }
}
