package dev.asyncio.spring;

import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.Runner;
import dev.asyncio.Task;
import dev.asyncio.internal.LoopInternals;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool of event loops, each running on its own platform thread, for serving requests with coroutines:
 * one loop per core instead of one loop for the whole JVM, so a handler that blocks its loop (a
 * {@code Thread.sleep}, a blocking driver) stalls only the requests on that loop, and coroutine work uses
 * every core. Within one loop, asyncio's rules hold: one step at a time, no locks needed between the
 * coroutines of that loop; coroutines on different loops run in parallel and share state only through
 * thread-safe means.
 *
 * <pre>{@code
 * @GetMapping("/items/{id}")
 * Task<Item> item(@PathVariable long id) {
 *     return loops.submit(() -> repository.find(id));   // a task named "GET /items/42"
 * }
 * }</pre>
 *
 * <p>In a Spring Boot WebFlux application the asyncio-spring auto-configuration provides the bean (with
 * {@code asyncio.loops.count} loops, {@link Runtime#availableProcessors()} by default) and closes it with
 * the application context. Outside Spring, create it with {@code new AsyncioLoops(n)} and {@link #close()}
 * it. Threads are named {@code asyncio-loop-0}, {@code asyncio-loop-1}, … and are daemon threads: a JVM
 * that exits without {@link #close()} skips the orderly shutdown.
 *
 * <p><b>Which loop gets a task.</b> Not round robin: the first loop, in order, that is awake and keeping
 * up (its current iteration began less than 1 ms ago), else the first loop that is waiting for work, else
 * (every loop busy for longer) the next loop round robin. Handing a request to a loop that is awake costs
 * no wake-up, while round robin over sleeping loops costs a context switch per request (and another when
 * the response goes back to the Netty thread); so under light load the work stays on few loops, and it
 * spreads as soon as a loop falls behind. A loop whose handler blocks it (a {@code Thread.sleep}, a
 * blocking driver) is not keeping up after 1 ms and gets no new task while another loop is awake or
 * waiting: such a handler delays only the requests placed on its loop before it fell behind. The same holds
 * for a burst: tasks placed within the first millisecond of a loop's iteration all go to that loop, and
 * the pool spreads only what arrives once it is behind (nothing moves a task between loops). Measured on
 * 2 cores ({@code benchmarks/web-load}, wrk at 128 connections, trivial handlers, 2 loops): round robin
 * cost 0.33-0.46 context switches per request and 0.81-0.98 of plain Reactor's throughput; this placement
 * 0.15-0.17 (loop-carrier mode) and 0.95-1.11, the figures of a single loop (see
 * {@code benchmarks/RESULTS.md}).
 *
 * <p>All methods are thread-safe.
 */
public final class AsyncioLoops implements AutoCloseable {
    /**
     * How long a loop's current iteration may have run for the loop to still count as keeping up, in
     * microseconds: well above a healthy iteration of short steps, well below what a user would notice.
     */
    static final long KEEPING_UP_MICROS = 1_000;
    private static final long KEEPING_UP_NANOS = KEEPING_UP_MICROS * 1_000;

    /** The loops' thread names are this prefix and the loop's index: {@code asyncio-loop-0}, … */
    static final String THREAD_NAME_PREFIX = "asyncio-loop-";

    private final List<EventLoop> loops;
    private final List<Thread> threads;
    private final AtomicInteger nextIndex = new AtomicInteger();
    private volatile boolean closed;

    /**
     * Starts {@code count} loops, each in the loops' default debug mode (on with
     * {@code -Ddev.asyncio.debug=true}).
     *
     * @param count how many loops, at least 1
     * @throws IllegalArgumentException if {@code count < 1}
     */
    public AsyncioLoops(int count) {
        this(count, false);
    }

    /**
     * Starts {@code count} loops, each on a new platform thread, and returns once they are started (they
     * accept {@link #submit} at once).
     *
     * @param count how many loops, at least 1
     * @param debug {@code true} puts every loop in debug mode ({@link EventLoop#setDebug}: a step that
     *     holds its loop too long is reported with the task's name and stack); {@code false} leaves each
     *     loop's default, which is debug mode with the system property {@code -Ddev.asyncio.debug=true}
     * @throws IllegalArgumentException if {@code count < 1}
     */
    public AsyncioLoops(int count, boolean debug) {
        if (count < 1) {
            throw new IllegalArgumentException("AsyncioLoops needs at least one loop, got count=" + count);
        }
        List<EventLoop> ls = new ArrayList<>(count);
        List<Thread> ts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            EventLoop loop = new EventLoop();
            LoopInternals.trackActivity(loop);
            if (debug) {
                loop.setDebug(true);
            }
            ls.add(loop);
            ts.add(Thread.ofPlatform().name(THREAD_NAME_PREFIX + i).daemon(true).unstarted(() -> host(loop)));
        }
        this.loops = List.copyOf(ls);
        this.threads = List.copyOf(ts);
        threads.forEach(Thread::start);
    }

    /**
     * Runs {@code loop} on this thread until {@link #close()}, then cleans up as {@code asyncio.run} does
     * (through a {@link Runner} on the same loop): cancels the leftover tasks and runs the loop until they
     * have finished, lets the default executor's jobs finish, closes the loop.
     */
    private void host(EventLoop loop) {
        Runner runner = new Runner(() -> loop, null);
        runner.getLoop();
        try {
            while (!closed) {
                loop.runForever();
                // An interrupt of this private thread ends one run only; close() is what ends the loop.
                Thread.interrupted();
            }
        } finally {
            runner.close();
        }
    }

    /**
     * Creates a task for {@code coroutine} on the loop {@link #next()} chooses, named after the request being
     * served if any ({@link RequestTaskNames#current()}, e.g. {@code "GET /items/42"}), else "Task-N".
     * See {@link EventLoop#submit(Coroutine, String)}: callable from any thread (a Netty thread serving a
     * request, a coroutine of any loop); the task starts in a copy of the caller's asyncio context, in a
     * later iteration of its loop. Return it from a WebFlux handler, or observe it from other threads with
     * {@link dev.asyncio.Future#toCompletableFuture()}.
     *
     * @param coroutine the coroutine
     * @param <T> its result type
     * @return the task, pending
     * @throws IllegalStateException if the pool is closed
     */
    public <T> Task<T> submit(Coroutine<T> coroutine) {
        return submit(coroutine, RequestTaskNames.current());
    }

    /**
     * As {@link #submit(Coroutine)}, with the task's name given.
     *
     * @param coroutine the coroutine
     * @param name the task's name, or {@code null} for "Task-N"
     * @param <T> its result type
     * @return the task, pending
     * @throws IllegalStateException if the pool is closed
     */
    public <T> Task<T> submit(Coroutine<T> coroutine, String name) {
        Objects.requireNonNull(coroutine, "coroutine");
        if (closed) {
            throw new IllegalStateException("AsyncioLoops is closed (its application context is shutting down): "
                    + "no new task can be submitted");
        }
        EventLoop loop = next();
        return loop.submit(coroutine, name);
    }

    /**
     * Chooses a loop for new work, as {@link #submit} does: the first loop, in order, that is awake and
     * keeping up, else the first one waiting for work, else the next one round robin (see the class
     * comment). For APIs that take a loop, e.g. {@code ReactorCoroutines.mono(loops.next(), () -> …)}.
     * Callable from any thread; reads each loop's activity without a lock, so two threads choosing at once
     * may choose differently.
     *
     * @return one of {@link #loops()}; closed if the pool is
     */
    public EventLoop next() {
        int n = loops.size();
        if (n == 1) {
            return loops.get(0);
        }
        long now = System.nanoTime();
        EventLoop firstWaiting = null;
        for (int i = 0; i < n; i++) {
            EventLoop loop = loops.get(i);
            long busy = LoopInternals.busyNanos(loop, now);
            if (busy < 0) {
                if (firstWaiting == null) {
                    firstWaiting = loop;
                }
            } else if (busy < KEEPING_UP_NANOS) {
                return loop; // awake: no wake-up needed, and it will get to the task within this iteration
            }
        }
        if (firstWaiting != null) {
            return firstWaiting;
        }
        // Every loop has been busy for long: blocked or overloaded alike, spread the work.
        return loops.get(Math.floorMod(nextIndex.getAndIncrement(), n));
    }

    /**
     * @return the pool's loops, in thread-name order (unmodifiable); their loop methods are, as always,
     *     for their own thread only: from elsewhere use {@link EventLoop#submit},
     *     {@link EventLoop#callSoonThreadsafe} or {@link EventLoop#runCoroutineThreadsafe}
     */
    public List<EventLoop> loops() {
        return loops;
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Shuts the pool down in order, as {@code asyncio.run} ends: stops each loop, then each loop's thread
     * cancels the tasks left on it, runs the loop until they have finished (their {@code finally} blocks
     * and {@code except CancelledError} handlers run), waits for its default executor's jobs, and closes
     * the loop. Returns when every loop thread has ended. Idempotent; {@link #submit} fails from the start
     * of the call on.
     *
     * <p>If the calling thread is interrupted while waiting, it stops waiting (the loops still shut down
     * in the background) and its interrupt flag is set again.
     *
     * @throws IllegalStateException if called from one of the pool's own loops (it would wait for itself)
     */
    @Override
    public void close() {
        EventLoop running = LoopInternals.runningLoopOrNull();
        if (threads.contains(Thread.currentThread()) || (running != null && loops.contains(running))) {
            throw new IllegalStateException("AsyncioLoops.close() was called from one of its own loops; "
                    + "close it from another thread (Spring closes it with the application context)");
        }
        closed = true;
        for (EventLoop loop : loops) {
            try {
                loop.stop();
            } catch (IllegalStateException alreadyClosed) {
                // its thread has ended already
            }
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "AsyncioLoops[" + loops.size() + " loops" + (closed ? ", closed" : "") + "]";
    }
}
