package dev.asyncio.queues;

import java.util.Comparator;
import java.util.Objects;

/**
 * asyncio's {@code PriorityQueue}: a {@link Queue} that returns the smallest item first, by natural
 * ordering or by a {@link Comparator}. Everything else (bounds, waiting, {@code taskDone}/{@code join},
 * shutdown) is {@link Queue}'s.
 *
 * <p>Where Python code puts {@code (priority, data)} tuples, put a record and order it with
 * {@code Comparator.comparingInt(Job::priority)}. Items of equal priority come out in no particular
 * order (a binary heap, like asyncio's {@code heapq}).
 *
 * <p><b>Threads.</b> Not thread-safe, like asyncio's; see the {@linkplain dev.asyncio.queues package}.
 *
 * @param <E> the item type
 */
public class PriorityQueue<E> extends Queue<E> {
    /**
     * Creates an unbounded queue of {@link Comparable} items; putting an item that is not comparable
     * with those in the queue throws {@link ClassCastException} and puts nothing.
     */
    public PriorityQueue() {
        this(0);
    }

    /**
     * Creates a queue of at most {@code maxsize} {@link Comparable} items.
     *
     * @param maxsize the capacity; zero or less means unbounded
     */
    public PriorityQueue(int maxsize) {
        super(maxsize, new java.util.PriorityQueue<>());
    }

    /**
     * Creates an unbounded queue ordered by {@code comparator}.
     *
     * @param comparator the order; the smallest item comes out first
     */
    public PriorityQueue(Comparator<? super E> comparator) {
        this(0, comparator);
    }

    /**
     * Creates a queue of at most {@code maxsize} items ordered by {@code comparator}.
     *
     * @param maxsize the capacity; zero or less means unbounded
     * @param comparator the order; the smallest item comes out first
     */
    public PriorityQueue(int maxsize, Comparator<? super E> comparator) {
        super(maxsize, new java.util.PriorityQueue<>(Objects.requireNonNull(comparator, "comparator")));
    }
}
