package dev.asyncio.engine;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The threads that work for one loop off its turn: the default executor of {@code runInExecutor} and
 * {@code toThread} (created on first use, shut down by {@code shutdownDefaultExecutor} or at close), and the
 * helper threads that wait on the loop's behalf for something that only blocks (a plain
 * {@link java.util.concurrent.Future}, an executor's termination). Kept together because {@code close()}
 * must leave none of them behind: helpers are interrupted and joined, the default executor is shut down.
 *
 * <p>What runs off the turn reports back through the loop's thread-safe callback queue, handed in as an
 * {@link Executor}; the loop's futures stay on the API side, which receives outcomes through callbacks.
 * The executor fields are touched on the loop's turn; the helper set from any thread.
 */
public final class OffTurnThreads {
    private static final Logger LOG = System.getLogger("dev.asyncio");

    private final LoopEngine engine;
    private final Executor toTurn;
    private final Supplier<? extends Thread.Builder> helperThreads;
    /** Threads the loop started to wait for something on its behalf; interrupted and joined by close(). */
    private final Set<Thread> helpers = ConcurrentHashMap.newKeySet();
    /** What must end with the loop besides those threads (a child's pipes, say); run by close() first. */
    private final Set<Runnable> closeActions = ConcurrentHashMap.newKeySet();
    private ExecutorService defaultExecutor;
    private boolean executorShutdownCalled;

    /**
     * @param engine the loop's engine: counts each job as external work, names the loop in messages
     * @param toTurn the loop's {@code callSoonThreadsafe}: runs an action on the loop's turn, from any
     *     thread; throws {@link IllegalStateException} once the loop is closed
     * @param helperThreads a builder of the threads {@link #startHelper} starts (virtual threads of the JDK's
     *     default scheduler, never of a loop carrier)
     */
    public OffTurnThreads(LoopEngine engine, Executor toTurn, Supplier<? extends Thread.Builder> helperThreads) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.toTurn = Objects.requireNonNull(toTurn, "toTurn");
        this.helperThreads = Objects.requireNonNull(helperThreads, "helperThreads");
    }

    /**
     * {@code runInExecutor}, once the loop checked the calling thread and that it is open: runs
     * {@code function} on {@code executor} (the default executor if {@code null}) as an {@link ExecutorJob}.
     *
     * @param executor where to run it, or {@code null} for the loop's default executor
     * @param function the work
     * @param outcome receives the work's result or exception on the loop's turn, unless the loop closed first
     * @param <T> the result type
     * @return the job, to {@link ExecutorJob#cancel()} it when the loop's future is cancelled
     * @throws IllegalStateException if {@code executor} is {@code null} and the default executor was shut down
     * @throws RuntimeException what {@code executor} throws when it refuses the job
     */
    public <T> ExecutorJob<T> runInExecutor(Executor executor, Callable<T> function, BiConsumer<T, Throwable> outcome) {
        Executor target = executor;
        if (target == null) {
            if (executorShutdownCalled) {
                throw new IllegalStateException("Executor shutdown has been called: this loop's default executor "
                        + "no longer takes work; pass an executor to runInExecutor(...) explicitly");
            }
            if (defaultExecutor == null) {
                defaultExecutor = DefaultExecutor.create();
            }
            target = defaultExecutor;
        }
        ExecutorJob<T> job = new ExecutorJob<>(this, target, function, outcome);
        engine.externalWork(1);
        try {
            target.execute(job);
        } catch (RuntimeException | Error e) {
            engine.externalWork(-1);
            throw e;
        }
        return job;
    }

    /** Posts a job's delivery to the turn; {@link IllegalStateException} once the loop is closed. */
    void toTurn(Runnable delivery) {
        toTurn.execute(delivery);
    }

    /** A job posted its outcome, or was cancelled before it started. */
    void jobEnded() {
        engine.externalWork(-1);
    }

    /**
     * {@code setDefaultExecutor}, once the loop checked the calling thread and that it is open.
     *
     * @param executor the executor for {@code runInExecutor(null, …)} from now on
     */
    public void setDefaultExecutor(ExecutorService executor) {
        defaultExecutor = executor;
    }

    /** @return whether the loop has a default executor now (created on use or set); on the turn */
    public boolean hasDefaultExecutor() {
        return defaultExecutor != null;
    }

    /**
     * {@code shutdownDefaultExecutor(timeout)}, on a coroutine of the loop: the default executor takes no
     * more work; if there is one, it is shut down and a helper thread waits for its threads to end, as
     * asyncio's {@code _do_shutdown} (the wait blocks, the loop must not).
     *
     * @param timeout how long the helper waits, {@code null} for no limit
     * @param joined receives on the loop's turn whether the threads ended in time, unless the loop closed
     * @return whether there was an executor to shut down, i.e. whether {@code joined} will be called
     */
    public boolean shutdownDefaultExecutor(Duration timeout, Consumer<Boolean> joined) {
        executorShutdownCalled = true;
        ExecutorService executor = defaultExecutor;
        if (executor == null) {
            return false;
        }
        executor.shutdown();
        long nanos = timeout == null ? Long.MAX_VALUE : Durations.toNanosSaturated(timeout);
        engine.externalWork(1);
        startHelper("asyncio-executor-shutdown", () -> {
            boolean terminated = false;
            try {
                terminated = executor.awaitTermination(nanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                boolean t = terminated;
                try {
                    toTurn.execute(() -> joined.accept(t));
                } catch (IllegalStateException loopClosed) {
                    // nobody waits any more
                } finally {
                    engine.externalWork(-1);
                }
            }
        });
        return true;
    }

    /**
     * Starts a helper thread that waits for something on the loop's behalf (a plain
     * {@link java.util.concurrent.Future}, an executor's termination) and reports back through the loop's
     * thread-safe queue. It runs on the JDK's default scheduler, never on a loop carrier, and closing the
     * loop interrupts it: {@code body} must end when interrupted once the loop is closed. Any thread.
     *
     * @param name the thread's name, for dumps
     * @param body what it does
     */
    public void startHelper(String name, Runnable body) {
        Thread t = helperThreads.get().name(name).unstarted(() -> {
            try {
                body.run();
            } finally {
                helpers.remove(Thread.currentThread());
            }
        });
        helpers.add(t);
        t.start();
    }

    /**
     * Registers {@code action} to run when the loop closes, before its helper threads are interrupted; any
     * thread. It runs on the closing thread and must not block.
     *
     * @param action what to run
     * @return what unregisters it, for an owner that ended on its own first
     */
    public Runnable atClose(Runnable action) {
        closeActions.add(action);
        return () -> closeActions.remove(action);
    }

    /**
     * At close, on the closing host: what registered {@link #atClose} ends, no thread started for this loop
     * outlives it, and the default executor is shut down without waiting for its threads.
     */
    public void endAll() {
        for (Runnable action : closeActions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a close action of " + engine + " failed", e);
            }
        }
        closeActions.clear();
        endHelpers();
        ExecutorService executor = defaultExecutor;
        if (executor != null) {
            defaultExecutor = null;
            executor.shutdown();
        }
    }

    private void endHelpers() {
        for (Thread t : helpers) {
            t.interrupt();
        }
        boolean interrupted = false;
        for (Thread t : helpers) {
            try {
                // Helpers end as soon as they see the interrupt; the bound only guards against a bug in one.
                if (!t.join(Duration.ofSeconds(10))) {
                    LOG.log(Level.WARNING, "helper thread " + t + " of " + engine + " did not end at close");
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
