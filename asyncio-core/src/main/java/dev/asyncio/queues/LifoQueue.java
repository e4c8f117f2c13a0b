package dev.asyncio.queues;

import java.util.ArrayDeque;
import java.util.Collections;

/**
 * asyncio's {@code LifoQueue}: a {@link Queue} that returns the most recently added item first (a
 * stack). Everything else (bounds, waiting, {@code taskDone}/{@code join}, shutdown) is {@link Queue}'s.
 *
 * <p><b>Threads.</b> Not thread-safe, like asyncio's; see the {@linkplain dev.asyncio.queues package}.
 *
 * @param <E> the item type
 */
public class LifoQueue<E> extends Queue<E> {
    /** Creates an unbounded LIFO queue. */
    public LifoQueue() {
        this(0);
    }

    /**
     * Creates a LIFO queue that holds at most {@code maxsize} items.
     *
     * @param maxsize the capacity; zero or less means unbounded
     */
    public LifoQueue(int maxsize) {
        super(maxsize, Collections.asLifoQueue(new ArrayDeque<>()));
    }
}
