package dev.asyncio.benchmarks;

import dev.asyncio.Coroutine;
import java.util.function.IntConsumer;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The shape both bridge benchmarks share ({@link ReactorBridgeBenchmark}, {@link RxBridgeBenchmark}): a
 * round awaits {@link #calls} single values one after another, or consumes a stream of {@link #elements}
 * elements, inside one {@code Asyncio.run}, and its sum is checked so that no variant gets faster by
 * losing values. The subclasses say only how one value is awaited and how the stream is made.
 */
@State(Scope.Thread)
public abstract class BridgeRound extends LoopPerRound {
    /** Awaited values per round at the default parameter. */
    static final int CALLS = 100_000;

    /** Stream elements per round at the default parameter. */
    static final int ELEMENTS = 1_000_000;

    /** Awaited values per round. */
    @Param("100000")
    public int calls;

    /** Stream elements per round. */
    @Param("1000000")
    public int elements;

    /** Awaits one value, inside the round's coroutine. */
    @FunctionalInterface
    interface AwaitOne<S> {
        /**
         * @param round what {@link #awaitEach}'s {@code perRound} made for this round (a scheduler, say)
         * @param value the value to get back
         * @return {@code value}, through the bridge being measured
         */
        long await(S round, int value) throws Exception;
    }

    /** Consumes a stream of {@code elements} elements 0 .. elements-1 to its end, inside the round's coroutine. */
    @FunctionalInterface
    interface StreamRound {
        /**
         * @param elements how many
         * @param onEach receives each element as it passes
         */
        void consume(int elements, IntConsumer onEach) throws Exception;
    }

    /**
     * One round of {@link #calls} awaits.
     *
     * @param perRound made once per round, inside the coroutine, before the first await
     * @param awaitOne one await
     * @param what names the variant in an error
     * @return the checked sum
     */
    final <S> long awaitEach(Coroutine<S> perRound, AwaitOne<S> awaitOne, String what) {
        int n = calls;
        return checkSum(runner.run(() -> {
            S round = perRound.call();
            long sum = 0;
            for (int i = 0; i < n; i++) {
                sum += awaitOne.await(round, i);
            }
            return sum;
        }), n, what);
    }

    /**
     * One round of a stream of {@link #elements} elements.
     *
     * @param stream makes and consumes the stream
     * @param what names the variant in an error
     * @return the checked sum
     */
    final long consumeStream(StreamRound stream, String what) {
        int n = elements;
        return checkSum(runner.run(() -> {
            long[] sum = {0};
            stream.consume(n, v -> sum[0] += v);
            return sum[0];
        }), n, what);
    }
}
