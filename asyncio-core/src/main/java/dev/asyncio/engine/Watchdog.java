package dev.asyncio.engine;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Debug mode's watchdog: one daemon platform thread, shared by all loops, that samples every running
 * debug-mode loop ({@link LoopDebug#inspect()}) a few times per slow-callback duration, so that a step or
 * callback that has held the turn past that duration is reported <em>while it is still stuck</em>, with
 * the stack of the thread holding the turn. The loop itself can only measure a step after it ends, and
 * tools such as BlockHound cannot see blocking calls on virtual threads, so this is how debug mode says
 * where a loop is stuck.
 *
 * <p>A loop is watched from {@link #watch} to {@link #unwatch} (its {@link LoopDebug} calls them while it
 * runs in debug mode). The thread is started by the first {@link #watch}, and parks without a deadline
 * while nothing is watched.
 */
final class Watchdog implements Runnable {
    /** Bounds of the sampling period: responsive for small thresholds, cheap for large ones. */
    private static final long MIN_PERIOD_NANOS = Duration.ofMillis(2).toNanos();
    private static final long MAX_PERIOD_NANOS = Duration.ofMillis(250).toNanos();
    private static Thread thread;
    /** The loops watched now; copy on write, read by the watchdog's thread. */
    private static volatile LoopDebug<?>[] watched = new LoopDebug<?>[0];

    private Watchdog() {
    }

    /** {@code debug}'s loop runs in debug mode: sample it from now on, starting the thread if needed. Any thread. */
    static void watch(LoopDebug<?> debug) {
        Thread t;
        synchronized (Watchdog.class) {
            LoopDebug<?>[] now = watched;
            LoopDebug<?>[] next = Arrays.copyOf(now, now.length + 1);
            next[now.length] = debug;
            watched = next;
            t = thread;
            if (t == null) {
                thread = Thread.ofPlatform().daemon().name("asyncio-debug-watchdog").start(new Watchdog());
                return;
            }
        }
        LockSupport.unpark(t);
    }

    /** {@code debug}'s loop stopped running, or left debug mode: no longer sampled. Any thread. */
    static synchronized void unwatch(LoopDebug<?> debug) {
        LoopDebug<?>[] now = watched;
        int i = Arrays.asList(now).indexOf(debug);
        if (i >= 0) {
            LoopDebug<?>[] next = new LoopDebug<?>[now.length - 1];
            System.arraycopy(now, 0, next, 0, i);
            System.arraycopy(now, i + 1, next, i, now.length - i - 1);
            watched = next;
        }
    }

    @Override
    public void run() {
        while (true) {
            long period = -1;
            for (LoopDebug<?> debug : watched) {
                long p = Math.clamp(debug.slowCallbackDuration().toNanos() / 4, MIN_PERIOD_NANOS, MAX_PERIOD_NANOS);
                period = period < 0 ? p : Math.min(period, p);
                try {
                    debug.inspect();
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
}
