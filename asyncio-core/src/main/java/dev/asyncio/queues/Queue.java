package dev.asyncio.queues;

import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.engine.LoopBinding;
import dev.asyncio.sync.Event;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * asyncio's {@code Queue}: a first-in, first-out queue for coordinating producer and consumer
 * coroutines of one event loop.
 *
 * <pre>{@code
 * Queue<String> queue = new Queue<>(100);          // at most 100 items; 0 or less: unbounded
 * createTask(() -> { for (String url : urls) queue.put(url); queue.shutdown(); });
 * while (true) {
 *     String url;
 *     try { url = queue.get(); } catch (QueueShutDown done) { break; }
 *     fetch(url);
 *     queue.taskDone();
 * }
 * }</pre>
 *
 * <p><b>Waiting.</b> {@link #put} suspends while the queue is full and {@link #get} while it is empty;
 * waiters are served in FIFO order. Cancellation loses nothing: an item stays in the queue until a
 * {@code get()} returns it, so a consumer cancelled after being woken for an item leaves it there (and
 * wakes the next consumer); a producer cancelled while waiting for room has put nothing, and one that
 * returned from {@code put()} has put exactly once.
 *
 * <p><b>Tracking work.</b> Each item put counts as an unfinished task until a consumer calls
 * {@link #taskDone()} for it; {@link #join()} waits until none is left.
 *
 * <p><b>Shutting down</b> (asyncio 3.13): after {@link #shutdown(boolean)}, puts raise
 * {@link QueueShutDown}, and gets raise it once the queue is empty (at once with {@code immediate},
 * which also discards the items left and marks them done). Every blocked producer and consumer is woken.
 *
 * <p><b>Items</b> may not be {@code null} (as in {@link java.util.concurrent.BlockingQueue}): use a
 * sentinel object or {@link #shutdown()} to signal the end.
 *
 * <p><b>Threads.</b> Not thread-safe, like asyncio's; see the {@linkplain dev.asyncio.queues package}.
 * The methods that suspend must be called from a coroutine when they have to wait.
 *
 * @param <E> the item type
 */
public class Queue<E> {
    private final int maxsize;
    private final java.util.Queue<E> items;
    /** Futures of the coroutines waiting in {@link #get()} / {@link #put}, oldest first. */
    private final ArrayDeque<Future<Void>> getters = new ArrayDeque<>();
    private final ArrayDeque<Future<Void>> putters = new ArrayDeque<>();
    private final LoopBinding binding = new LoopBinding(this);
    private final Event finished = new Event();
    private int unfinishedTasks;
    private boolean isShutdown;

    /** Creates an unbounded queue. */
    public Queue() {
        this(0);
    }

    /**
     * Creates a queue that holds at most {@code maxsize} items.
     *
     * @param maxsize the capacity; zero or less means unbounded, as in asyncio
     */
    public Queue(int maxsize) {
        this(maxsize, new ArrayDeque<>());
    }

    /** For the subclasses: the same queue over another order of {@code items} (asyncio's {@code _init}). */
    Queue(int maxsize, java.util.Queue<E> items) {
        this.maxsize = maxsize;
        this.items = items;
        finished.set();
    }

    /** @return the number of items in the queue (asyncio's {@code qsize()}); callable from any thread */
    public int qsize() {
        return items.size();
    }

    /** @return the capacity given at creation; zero or less means unbounded */
    public int maxsize() {
        return maxsize;
    }

    /** @return whether the queue holds no item (asyncio's {@code empty()}) */
    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** @return whether the queue holds {@link #maxsize()} items; never for an unbounded queue (asyncio's {@code full()}) */
    public boolean isFull() {
        return maxsize > 0 && items.size() >= maxsize;
    }

    /**
     * Puts {@code item} into the queue, first suspending the calling coroutine while the queue is full
     * (asyncio's {@code await queue.put(item)}). Returns at once, without yielding, if there is room.
     *
     * @param item the item, not {@code null}
     * @throws QueueShutDown if the queue is shut down, before or while waiting; the item is not put
     * @throws CancelledError if the calling task is cancelled while waiting; the item is not put
     * @throws NullPointerException if {@code item} is {@code null}
     * @throws IllegalStateException if it has to wait outside a coroutine, or the queue is bound to
     *     another loop
     */
    public void put(E item) {
        Objects.requireNonNull(item, "a Queue does not accept null items; put a sentinel object instead");
        binding.checkAccess("Queue.put()");
        if (isFull()) {
            // `if … do … while`, not `while`: see get().
            do {
                if (isShutdown) {
                    throw shutDown("put");
                }
                EventLoop loop = binding.loopForWait("Queue.put()");
                Future<Void> putter = loop.createFuture();
                putters.addLast(putter);
                try {
                    putter.await();
                } catch (Throwable t) {
                    putter.cancel(); // in case it is still pending
                    putters.remove(putter); // may be gone already, taken by getNowait() or shutdown()
                    if (!isFull() && !putter.isCancelled()) {
                        // We were woken for a free slot but will not use it: pass the wake-up on.
                        wakeUpNext(putters);
                    }
                    throw t;
                }
            } while (isFull());
        }
        enqueue(item);
    }

    /**
     * Puts {@code item} into the queue if there is room (asyncio's {@code put_nowait}); never suspends.
     *
     * @param item the item, not {@code null}
     * @throws QueueFull if the queue holds {@link #maxsize()} items
     * @throws QueueShutDown if the queue is shut down
     * @throws NullPointerException if {@code item} is {@code null}
     * @throws IllegalStateException if called off the turn of the loop the queue is bound to
     */
    public void putNowait(E item) {
        Objects.requireNonNull(item, "a Queue does not accept null items; put a sentinel object instead");
        binding.checkAccess("Queue.putNowait()");
        if (isShutdown) {
            throw shutDown("put");
        }
        if (isFull()) {
            throw new QueueFull("Queue is full (maxsize=" + maxsize + "); use put(item) to wait for room");
        }
        enqueue(item);
    }

    private void enqueue(E item) {
        if (isShutdown) {
            throw shutDown("put");
        }
        items.add(item);
        unfinishedTasks++;
        if (finished.isSet()) {
            finished.clear();
        }
        wakeUpNext(getters);
    }

    /**
     * Removes and returns the next item, first suspending the calling coroutine while the queue is
     * empty (asyncio's {@code await queue.get()}). Returns at once, without yielding, if there is one.
     *
     * @return the item
     * @throws QueueShutDown if the queue is shut down and empty, or was shut down immediately
     * @throws CancelledError if the calling task is cancelled while waiting; no item is taken (an item
     *     it was woken for stays in the queue for the next consumer)
     * @throws IllegalStateException if it has to wait outside a coroutine, or the queue is bound to
     *     another loop
     */
    public E get() {
        binding.checkAccess("Queue.get()");
        if (items.isEmpty()) {
            // `if … do … while`, not `while`: the test after a wake is a bytecode of its own. With `while`
            // one branch is tested before the first wait and after each wake, and when many getters wait
            // before any is woken the JIT sees it never exit and compiles a trap on the exit, on which every
            // parked getter's frame then deoptimizes (benchmarks/README.md, "Virtual time: the
            // deoptimization storm").
            do {
                if (isShutdown) {
                    throw shutDown("get from");
                }
                EventLoop loop = binding.loopForWait("Queue.get()");
                Future<Void> getter = loop.createFuture();
                getters.addLast(getter);
                try {
                    getter.await();
                } catch (Throwable t) {
                    getter.cancel(); // in case it is still pending
                    getters.remove(getter); // may be gone already, taken by putNowait() or shutdown()
                    if (!items.isEmpty() && !getter.isCancelled()) {
                        // We were woken for an item but will not take it: it stays queued, wake the next getter.
                        wakeUpNext(getters);
                    }
                    throw t;
                }
            } while (items.isEmpty());
        }
        return dequeue();
    }

    /**
     * Removes and returns the next item if there is one (asyncio's {@code get_nowait}); never suspends.
     *
     * @return the item
     * @throws QueueEmpty if the queue is empty
     * @throws QueueShutDown if the queue is empty and shut down
     * @throws IllegalStateException if called off the turn of the loop the queue is bound to
     */
    public E getNowait() {
        binding.checkAccess("Queue.getNowait()");
        if (items.isEmpty()) {
            if (isShutdown) {
                throw shutDown("get from");
            }
            throw new QueueEmpty("Queue is empty; use get() to wait for an item");
        }
        return dequeue();
    }

    private E dequeue() {
        E item = items.remove();
        wakeUpNext(putters);
        return item;
    }

    /**
     * Marks one item taken with {@link #get()} as processed (asyncio's {@code task_done}); when every
     * item put has been marked, {@link #join()} returns.
     *
     * @throws IllegalStateException if called more times than items were put (asyncio's
     *     {@code ValueError}), or off the turn of the loop the queue is bound to
     */
    public void taskDone() {
        binding.checkAccess("Queue.taskDone()");
        if (unfinishedTasks <= 0) {
            throw new IllegalStateException("taskDone() called too many times: every item put was already marked done");
        }
        unfinishedTasks--;
        if (unfinishedTasks == 0) {
            finished.set();
        }
    }

    /**
     * Suspends the calling coroutine until every item put into the queue has been marked done with
     * {@link #taskDone()} (asyncio's {@code await queue.join()}); returns at once if none is unfinished.
     *
     * @throws CancelledError if the calling task is cancelled while waiting
     * @throws IllegalStateException if it has to wait outside a coroutine, or the queue is bound to
     *     another loop
     */
    public void join() {
        binding.checkAccess("Queue.join()");
        if (unfinishedTasks > 0) {
            finished.await();
        }
    }

    /** Shuts the queue down gracefully; same as {@code shutdown(false)}. */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down (asyncio 3.13's {@code shutdown}): from now on {@link #put} and
     * {@link #putNowait} raise {@link QueueShutDown}, and so do {@link #get} and {@link #getNowait} once
     * the queue is empty. Every coroutine blocked in {@code put()} or {@code get()} is woken to see it.
     * Idempotent.
     *
     * @param immediate also discard the items still queued, each counted as done for {@link #join()},
     *     so that gets raise at once and joiners may return
     * @throws IllegalStateException if called off the turn of the loop the queue is bound to
     */
    public void shutdown(boolean immediate) {
        binding.checkAccess("Queue.shutdown()");
        isShutdown = true;
        if (immediate) {
            while (!items.isEmpty()) {
                items.remove();
                if (unfinishedTasks > 0) {
                    unfinishedTasks--;
                }
            }
            if (unfinishedTasks == 0) {
                finished.set();
            }
        }
        wakeAll(getters);
        wakeAll(putters);
    }

    /** @return whether {@link #shutdown(boolean)} was called */
    public boolean isShutdown() {
        return isShutdown;
    }

    /** Wakes the oldest waiter that is not cancelled, dropping those that are (asyncio's {@code _wakeup_next}). */
    private static void wakeUpNext(ArrayDeque<Future<Void>> waiters) {
        Future<Void> w;
        while ((w = waiters.pollFirst()) != null) {
            if (!w.isDone()) {
                w.setResult(null);
                return;
            }
        }
    }

    private static void wakeAll(ArrayDeque<Future<Void>> waiters) {
        Future<Void> w;
        while ((w = waiters.pollFirst()) != null) {
            if (!w.isDone()) {
                w.setResult(null);
            }
        }
    }

    private QueueShutDown shutDown(String what) {
        return new QueueShutDown("cannot " + what + " " + getClass().getSimpleName() + ": it was shut down");
    }

    /** For tests: blocked getters. */
    int getterCount() {
        return getters.size();
    }

    /** For tests: blocked putters. */
    int putterCount() {
        return putters.size();
    }

    /** For tests: the unfinished-task count. */
    int unfinishedTasks() {
        return unfinishedTasks;
    }

    /**
     * asyncio's {@code str(queue)}.
     *
     * @return e.g. {@code <Queue maxsize=0 queue=[1, 2] getters[1] tasks=2 shutdown>}
     */
    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " " + format() + ">";
    }

    /** asyncio's {@code _format()}. */
    String format() {
        StringBuilder sb = new StringBuilder("maxsize=").append(maxsize);
        if (!items.isEmpty()) {
            sb.append(" queue=").append(items);
        }
        if (!getters.isEmpty()) {
            sb.append(" getters[").append(getters.size()).append(']');
        }
        if (!putters.isEmpty()) {
            sb.append(" putters[").append(putters.size()).append(']');
        }
        if (unfinishedTasks != 0) {
            sb.append(" tasks=").append(unfinishedTasks);
        }
        if (isShutdown) {
            sb.append(" shutdown");
        }
        return sb.toString();
    }
}
