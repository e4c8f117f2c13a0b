package dev.asyncio.benchmarks;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * The floor under the portable mode's {@code switch} row: the same hand-off with no asyncio code at all.
 * {@value #THREADS} virtual threads of the JDK's default scheduler pass a baton round a ring, each waiting
 * for it with {@code while (holder != me) LockSupport.park()} and passing it on with a volatile write and
 * {@code LockSupport.unpark(next)}: exactly the park and unpark that one {@code sleep(0)} switch costs in
 * {@code CarrierMode.PORTABLE}, without the loop's dispatching. Whatever this costs per hand-off, a
 * portable switch cannot cost less.
 *
 * <p>Run as {@code java -cp benchmarks.jar dev.asyncio.benchmarks.RawHandoff [--rounds R] [--laps L]}: R
 * measurements (default 5) of L laps of the ring (default 300, i.e. 300,000 hand-offs), one JSON line each
 * with the nanoseconds per hand-off. Compare with {@code -Djdk.virtualThreadScheduler.parallelism=1}, the
 * same scheduler with one carrier, where no second carrier is woken to steal the thread just unparked (see
 * {@code benchmarks/README.md}, "switch and ping-pong: the JDK scheduler").
 *
 * <p>{@code benchmarks/run} measures the same ring as its {@code raw_handoff} row through
 * {@link RawHandoffBenchmark} (JMH, forked and warmed up as the {@code switch} row, 1,000 laps), and divides
 * the portable switch by it in the {@code switch_vs_raw} row.
 */
public final class RawHandoff {
    /** Virtual threads in the ring. */
    static final int THREADS = 1000;

    private static volatile Thread holder;

    private RawHandoff() {
    }

    /**
     * Measures and prints one JSON line per round.
     *
     * @param args {@code [--rounds R] [--laps L]}
     * @throws InterruptedException if interrupted while waiting for a round
     */
    public static void main(String[] args) throws InterruptedException {
        int rounds = 5;
        int laps = 300;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--laps" -> laps = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: RawHandoff [--rounds R] [--laps L]");
            }
        }
        String parallelism = System.getProperty("jdk.virtualThreadScheduler.parallelism", "default");
        for (int r = 0; r < rounds; r++) {
            double ns = round(laps);
            System.out.printf(Locale.ROOT,
                    "{\"workload\": \"raw_handoff\", \"parallelism\": \"%s\", \"value\": %.1f, \"unit\": \"ns/handoff\", \"n\": %d}%n",
                    parallelism, ns, (long) THREADS * laps);
        }
    }

    /** One measurement: {@code laps} times round the ring; returns nanoseconds per hand-off. */
    static double round(int laps) throws InterruptedException {
        Thread[] ring = new Thread[THREADS];
        CountDownLatch finished = new CountDownLatch(1);
        for (int i = 0; i < THREADS; i++) {
            int me = i;
            ring[i] = Thread.ofVirtual().unstarted(() -> {
                Thread self = Thread.currentThread();
                for (int lap = 0; lap < laps; lap++) {
                    while (holder != self) {
                        LockSupport.park();
                    }
                    if (me == THREADS - 1 && lap == laps - 1) {
                        finished.countDown();
                        return;
                    }
                    Thread next = ring[(me + 1) % THREADS];
                    holder = next;
                    LockSupport.unpark(next);
                }
            });
        }
        holder = ring[0];
        long start = System.nanoTime();
        for (Thread t : ring) {
            t.start();
        }
        finished.await();
        long elapsed = System.nanoTime() - start;
        for (Thread t : ring) {
            t.join();
        }
        return elapsed / (double) ((long) THREADS * laps);
    }
}
