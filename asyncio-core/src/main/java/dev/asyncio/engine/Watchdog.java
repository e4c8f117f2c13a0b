package dev.asyncio.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * The watchdog: one daemon platform thread ({@code asyncio-watchdog}), shared by all loops, that samples
 * what is {@linkplain Watched watched} a few times per threshold, so that a step or callback that has held
 * a loop's turn too long is reported <em>while it is still stuck</em>, with the stack of the thread holding
 * the turn. The loop itself can only measure a step after it ends, and tools such as BlockHound cannot see
 * blocking calls on virtual threads, so this is how a loop says where it is stuck. Two kinds are watched:
 * running debug-mode loops ({@link LoopDebug}, while they run) and the always-on watches of groups of loops
 * ({@link SlowStepWatch}, e.g. asyncio-spring's pool).
 *
 * <p>The thread is started by the first {@link #watch}, and parks without a deadline while nothing is
 * watched.
 */
final class Watchdog implements Runnable {
    private static Thread thread;
    /** What is watched now, read by the watchdog's thread. */
    private static final List<Watched> WATCHED = new CopyOnWriteArrayList<>();

    /** Something the watchdog samples. */
    interface Watched {
        /** @return how often it wants to be sampled, in nanoseconds; read at every round */
        long periodNanos();

        /** One sample, on the watchdog's thread. */
        void sample();
    }

    private Watchdog() {
    }

    /** Samples {@code w} from now on, starting the thread if needed. Any thread. */
    static void watch(Watched w) {
        Thread t;
        synchronized (Watchdog.class) {
            WATCHED.add(w);
            t = thread;
            if (t == null) {
                thread = Thread.ofPlatform().daemon().name("asyncio-watchdog").start(new Watchdog());
                return;
            }
        }
        LockSupport.unpark(t);
    }

    /** {@code w} is no longer sampled. Any thread. */
    static void unwatch(Watched w) {
        WATCHED.remove(w);
    }

    @Override
    public void run() {
        while (true) {
            long period = -1;
            for (Watched w : WATCHED) {
                long p = w.periodNanos();
                period = period < 0 ? p : Math.min(period, p);
                try {
                    w.sample();
                } catch (Throwable e) {
                    // Diagnostics (and their listeners) must never take the watchdog down with them.
                    System.getLogger("dev.asyncio").log(System.Logger.Level.ERROR, "asyncio watchdog failed", e);
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
