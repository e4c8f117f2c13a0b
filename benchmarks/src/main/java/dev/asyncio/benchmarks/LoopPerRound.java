package dev.asyncio.benchmarks;

import dev.asyncio.Runner;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The state of the benchmarks whose JMH iteration is one round on a fresh loop: the loop is made before
 * and closed after each iteration, outside the timed part, as the Python programs make a fresh loop per
 * round and time inside it.
 */
@State(Scope.Thread)
public abstract class LoopPerRound {
    /** The round's runner; its loop exists from {@link #newLoop()} to {@link #closeLoop()}. */
    protected Runner runner;

    /** Makes the round's loop (not timed). */
    @Setup(Level.Iteration)
    public void newLoop() {
        runner = new Runner();
        runner.getLoop();
    }

    /** Closes the round's loop. */
    @TearDown(Level.Iteration)
    public void closeLoop() {
        runner.close();
    }

    /**
     * Fails the round unless {@code sum} is the sum of 0 .. n-1: a workload must not get faster by
     * losing values.
     *
     * @param sum what the round added up
     * @param n how many values 0 .. n-1 it handled
     * @param what names the workload in the error
     * @return {@code sum}, for JMH to consume
     */
    static long checkSum(long sum, long n, String what) {
        long expected = n * (n - 1) / 2;
        if (sum != expected) {
            throw new IllegalStateException(what + " lost a value: sum " + sum + ", expected " + expected);
        }
        return sum;
    }
}
