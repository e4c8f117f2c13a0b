package dev.asyncio.benchmarks;

import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * The floor under the {@code virtual_time} row: what a virtual thread per sleeper costs the JDK when the
 * sleepers take turns, with no asyncio code, no timer and no clock. Each of N virtual threads is started by
 * the one before it, which then parks; once the last has started, the first is unparked, and each in turn
 * unparks the next and ends; the last hands back to the measuring thread. Every hand-off is a volatile
 * write of the turn's holder and a {@code start} or {@code unpark}, as the loop's turn does it, and the
 * threads wait in the loop's park shape ({@code if … do park while …}, see benchmarks/README.md, "Virtual
 * time: the deoptimization storm"). A million {@code sleep(1 h)} on a virtual clock do the same and more
 * (a task, a timer, the gather), so {@code virtual_time} cannot cost less than this on the same scheduler.
 *
 * <p>Run as {@code java -Xms1g -Xmx4g -cp benchmarks.jar dev.asyncio.benchmarks.RawParkedChain [--rounds R]
 * [--threads N]}: R rounds (default 5) of N threads (default 1,000,000), one JSON line each with the round's
 * seconds. With {@code -Djdk.virtualThreadScheduler.parallelism=1} the JDK's scheduler has one carrier, as
 * a loop-carrier loop's threads have: that is the floor of the loop-carrier column.
 *
 * <p>{@code benchmarks/run} measures it as its {@code raw_virtual_time} row through
 * {@link RawVirtualTimeBenchmark}, and divides {@code virtual_time} by it in {@code virtual_time_vs_raw}.
 */
public final class RawParkedChain {
    private final Thread[] threads;
    private final Thread driver;
    /** Started or woken so far; touched only by the thread holding the turn. */
    private int next;
    /** Threads woken from their park; touched only by the thread holding the turn. */
    private int woken;
    private volatile Thread holder;
    /** The body of every thread, one object for all (a body per thread would be one more object per parked thread). */
    private final Runnable body = this::sleeper;

    private RawParkedChain(int count, Thread driver) {
        this.threads = new Thread[count];
        this.driver = driver;
    }

    /**
     * Measures and prints one JSON line per round.
     *
     * @param args {@code [--rounds R] [--threads N]}
     */
    public static void main(String[] args) {
        int rounds = 5;
        int count = 1_000_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--threads" -> count = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: RawParkedChain [--rounds R] [--threads N]");
            }
        }
        String parallelism = System.getProperty("jdk.virtualThreadScheduler.parallelism", "default");
        for (int r = 0; r < rounds; r++) {
            double seconds = round(count);
            System.out.printf(Locale.ROOT,
                    "{\"workload\": \"raw_virtual_time\", \"parallelism\": \"%s\", \"value\": %.3f, \"unit\": \"s\", \"n\": %d}%n",
                    parallelism, seconds, count);
        }
    }

    /**
     * One round on the calling thread, which waits for the chain.
     *
     * @param count the virtual threads, at least 1
     * @return the round's wall time in seconds
     * @throws IllegalStateException if not every thread was woken once (a bug here, not a measurement)
     */
    static double round(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one thread, not " + count);
        }
        Thread me = Thread.currentThread();
        RawParkedChain chain = new RawParkedChain(count, me);
        long start = System.nanoTime();
        chain.holder = me;
        chain.passOnStart();
        boolean interrupted = false;
        if (chain.holder != me) {
            do {
                LockSupport.park(chain);
                interrupted |= Thread.interrupted(); // kept, not spun on: set again below
            } while (chain.holder != me);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (interrupted) {
            me.interrupt();
        }
        if (chain.woken != count) {
            throw new IllegalStateException(chain.woken + " of " + count + " threads were woken: a hand-off was lost");
        }
        return seconds;
    }

    /** On the turn while threads are being started: starts the next one, or once all are parked wakes the first. */
    private void passOnStart() {
        int i = next++;
        if (i < threads.length) {
            Thread t = Thread.ofVirtual().unstarted(body);
            threads[i] = t;
            holder = t;
            t.start();
        } else {
            next = 1;
            handTo(threads[0]);
        }
    }

    private void handTo(Thread t) {
        holder = t;
        LockSupport.unpark(t);
    }

    /** A sleeper: passes the turn on, parks until it comes back, passes it on again and ends. */
    private void sleeper() {
        Thread me = Thread.currentThread();
        passOnStart();
        if (holder != me) {
            do {
                LockSupport.park(this);
            } while (holder != me);
        }
        woken++;
        int i = next++;
        handTo(i < threads.length ? threads[i] : driver);
    }
}
