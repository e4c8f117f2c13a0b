package dev.asyncio.test;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.ExceptionContext;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.TimerHandle;
import dev.asyncio.VoidCoroutine;


import dev.asyncio.internal.LoopInternals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An event loop on a virtual clock, for tests: the counterpart of kotlinx's
 * {@code TestCoroutineScheduler}, Reactor's {@code VirtualTimeScheduler} and RxJava's
 * {@code TestScheduler}. {@link AsyncioTest @AsyncioTest} runs each test method on a fresh one (and can
 * inject it as a parameter); {@link TestLoops#runTest} does the same without the annotation; and a test
 * may drive one by hand:
 *
 * <pre>{@code
 * try (TestLoop testLoop = TestLoop.builder().timeMode(TimeMode.MANUAL).build()) {
 *     Task<String> t = testLoop.loop().createTask(() -> { sleep(Duration.ofMinutes(5)); return "done"; });
 *     testLoop.advanceTimeBy(Duration.ofMinutes(4));
 *     assertFalse(t.isDone());
 *     testLoop.advanceTimeBy(Duration.ofMinutes(1));
 *     assertEquals("done", t.result());
 * }
 * }</pre>
 *
 * <p><b>Time</b> starts at 0 and moves as the {@link TimeMode} says: by itself to the next deadline when
 * the loop is idle ({@link TimeMode#AUTO_JUMP}, the default), or only through the {@code advance}
 * methods ({@link TimeMode#MANUAL}). In both modes it never moves while something is runnable or while
 * work the loop knows of is in flight (executor and
 * {@code toThread} jobs, I/O, queued threadsafe calls), and timers fire in deadline order, each at its
 * own deadline.
 *
 * <p><b>Where the methods may be called.</b> The time methods ({@link #advanceTimeBy},
 * {@link #advanceTimeTo}, {@link #runCurrent}, {@link #advanceUntilIdle}) work from three places: from a
 * coroutine of this loop (the test body or any task), where they suspend the caller while the loop runs
 * what is due; from any thread while the loop is not running, where they run the loop until done; and
 * from another thread while the loop runs, where they submit themselves to it and block until done.
 * They cannot be called from a callback of the loop (a callback cannot suspend). {@link #currentTime()}
 * may be called anywhere.
 *
 * <p><b>Real-time limit.</b> Whenever this class runs the loop ({@link #run}, the time methods from
 * outside, {@link #close()}), it does so on a platform thread of its own while the caller waits at most
 * {@link Builder#timeout the timeout} (60 s by default) of real time; past it, the call fails with an
 * {@link AssertionError} that lists every task, what it awaits and where its coroutine is suspended.
 *
 * <p><b>End of the test.</b> {@link #close()} cancels the tasks still pending (and lets them finish),
 * closes the loop, and then fails with an {@link AssertionError} if tasks were left pending (unless
 * {@link Builder#failOnLeakedTasks(boolean)} is off) or if anything reached the loop's exception
 * handler: a task or future whose exception was never retrieved, an exception thrown by a callback.
 *
 * <p><b>One clock.</b> Unless {@link Builder#oneClock(boolean)} is off, while a test loop is open,
 * Reactor's and RxJava's schedulers, when their bridges (asyncio-reactor, asyncio-rxjava) are on the
 * class path or module path, run on this loop and
 * its virtual clock for code that uses them from the loop's coroutines and callbacks; see
 * {@link AsyncioTest}.
 *
 * <p>Not thread-safe except where stated: use one test loop from one test.
 */
public final class TestLoop implements AutoCloseable {
    /** How long cancelled leftover tasks may take to finish at {@link #close()}, at most. */
    private static final Duration CLEANUP_LIMIT = Duration.ofSeconds(10);

    private final EventLoop loop;
    private final TestClock clock;
    private final TimeMode timeMode;
    private final Duration timeout;
    private final boolean failOnLeakedTasks;
    private final Long shuffleSeed;
    private final Queue<ExceptionContext> reported = new ConcurrentLinkedQueue<>();
    private final OneClock oneClock;
    private volatile boolean closed;
    private volatile boolean abandoned;

    private TestLoop(Builder b) {
        this.clock = new TestClock(b.timeMode == TimeMode.AUTO_JUMP);
        this.loop = new EventLoop(clock);
        this.timeMode = b.timeMode;
        this.timeout = b.timeout;
        this.failOnLeakedTasks = b.failOnLeakedTasks;
        this.shuffleSeed = b.shuffleSeed;
        loop.setExceptionHandler((l, context) -> reported.add(context));
        if (shuffleSeed != null) {
            LoopInternals.setReadyOrderShuffle(loop, new Random(shuffleSeed));
        }
        this.oneClock = b.oneClock ? OneClock.attach(this) : null;
    }

    /** The loop's clock, for this package's tests (idle moments). */
    TestClock clock() {
        return clock;
    }

    /** @return a new test loop with the defaults: {@link TimeMode#AUTO_JUMP}, 60 s timeout, leak checks, one clock */
    public static TestLoop create() {
        return builder().build();
    }

    /** @return a builder of test loops, with the defaults of {@link #create()} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Settings of a {@link TestLoop}; the same as {@link AsyncioTest}'s attributes. Not thread-safe.
     */
    public static final class Builder {
        private TimeMode timeMode = TimeMode.AUTO_JUMP;
        private Duration timeout = Duration.ofSeconds(60);
        private boolean failOnLeakedTasks = true;
        private Long shuffleSeed;
        private boolean oneClock = true;

        private Builder() {
        }

        /**
         * @param mode how time moves when not told; {@link TimeMode#AUTO_JUMP} by default
         * @return this builder
         */
        public Builder timeMode(TimeMode mode) {
            this.timeMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * @param limit the real time each run of the loop may take, 60 s by default
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration limit) {
            Objects.requireNonNull(limit, "limit");
            if (limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + limit);
            }
            this.timeout = limit;
            return this;
        }

        /**
         * @param fail whether {@link #close()} fails when tasks are still pending; {@code true} by
         *     default. Pending tasks are cancelled either way.
         * @return this builder
         */
        public Builder failOnLeakedTasks(boolean fail) {
            this.failOnLeakedTasks = fail;
            return this;
        }

        /**
         * Turns on order fuzzing: the callbacks and task steps ready in the same loop iteration run in
         * an order drawn from {@code new Random(seed)} instead of FIFO (see
         * {@code LoopInternals.setReadyOrderShuffle}). A failing run reports its seed; passing the same seed
         * replays the same order.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder shuffleReadyOrder(long seed) {
            this.shuffleSeed = seed;
            return this;
        }

        /**
         * Order fuzzing with a fresh random seed, reported if the test fails; see {@link #shuffleReadyOrder(long)}.
         *
         * @return this builder
         */
        public Builder shuffleReadyOrder() {
            return shuffleReadyOrder(ThreadLocalRandom.current().nextLong());
        }

        /**
         * @param enabled whether Reactor's and RxJava's schedulers, when present, run on the test
         *     loop's clock while it is open; {@code true} by default
         * @return this builder
         */
        public Builder oneClock(boolean enabled) {
            this.oneClock = enabled;
            return this;
        }

        /** @return a new test loop with these settings; {@link #close()} it at the end of the test */
        public TestLoop build() {
            return new TestLoop(this);
        }

        /**
         * Runs {@code body} as a coroutine on a new test loop with these settings, then closes the loop
         * (kotlinx's {@code runTest}). Fails, by rethrowing the body's exception (the same object,
         * checked ones included) or with an {@link AssertionError}, if the body fails, if the timeout
         * passes, if tasks are left pending, or if an exception was never retrieved; what comes second
         * is attached as a suppressed exception, and so is the seed when the order was shuffled.
         *
         * @param body the test
         */
        public void runTest(TestBody body) {
            Objects.requireNonNull(body, "body");
            TestLoop testLoop = build();
            testLoop.runTest("test-body", () -> body.run(testLoop));
        }
    }

    // ------------------------------------------------------------------ accessors

    /** @return the event loop; its clock is this test loop's virtual clock */
    public EventLoop loop() {
        return loop;
    }

    /** @return how the clock moves when not told */
    public TimeMode timeMode() {
        return timeMode;
    }

    /** @return the real-time limit of each run of the loop */
    public Duration timeout() {
        return timeout;
    }

    /** @return the seed of the shuffled ready order, or empty when the order is FIFO */
    public OptionalLong shuffleSeed() {
        return shuffleSeed == null ? OptionalLong.empty() : OptionalLong.of(shuffleSeed);
    }

    /** @return virtual time since the loop was created; thread-safe */
    public Duration currentTime() {
        return Duration.ofNanos(clock.nanoTime());
    }

    /** @return virtual time since the loop was created, in nanoseconds (the loop's {@link EventLoop#timeNanos()}); thread-safe */
    public long currentTimeNanos() {
        return clock.nanoTime();
    }

    /**
     * Describes every pending task: its state, the future it awaits and where its coroutine is
     * suspended ({@link EventLoop#dumpTasks()}), headed by the virtual time and the external work in
     * flight. Exact from the loop's coroutines or while the loop is not running; see
     * {@link EventLoop#dumpTasks()} for other threads.
     *
     * @return the description, several lines
     */
    public String dumpTasks() {
        return "at virtual time " + currentTime() + ", " + LoopInternals.externalWorkInFlight(loop) + " external work in flight: "
                + loop.dumpTasks();
    }

    // ------------------------------------------------------------------ running

    /**
     * Runs {@code coroutine} as a task until it is done, on a thread of its own, and returns its
     * result; other tasks go on running while it does, and stay pending afterwards.
     *
     * @param coroutine the coroutine
     * @param <T> its result type
     * @return its result
     * @throws AssertionError if it takes longer than the timeout, in real time; the message lists
     *     what every task awaits
     * @throws IllegalStateException if called from a coroutine of this loop, while the loop runs, or
     *     after {@link #close()}
     */
    public <T> T run(Coroutine<T> coroutine) {
        return run(null, coroutine);
    }

    /**
     * Runs {@code coroutine} as a task until it is done; see {@link #run(Coroutine)}.
     *
     * @param coroutine the coroutine
     */
    public void run(VoidCoroutine coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        run(null, coroutine.asCoroutine());
    }

    <T> T run(String taskName, Coroutine<T> coroutine) {
        Objects.requireNonNull(coroutine, "coroutine");
        checkUsable("run");
        if (LoopInternals.runningLoopOrNull() == loop) {
            throw new IllegalStateException("TestLoop.run() was called from a coroutine of its own loop; "
                    + "there, await the work (or createTask it) instead");
        }
        Task<T> main = loop.createTask(coroutine, taskName, null);
        try {
            return LoopHost.run(this, main, timeout);
        } catch (Throwable t) {
            throw LoopInternals.sneakyThrow(t);
        }
    }

    /** The test harness of {@link Builder#runTest} and {@link AsyncioTest}: body, then close, failures combined. */
    void runTest(String taskName, VoidCoroutine body) {
        Throwable failure = null;
        try {
            run(taskName, body.asCoroutine());
        } catch (Throwable t) {
            failure = t;
        }
        try {
            close();
        } catch (Throwable t) {
            if (failure == null) {
                failure = t;
            } else if (failure != t) {
                failure.addSuppressed(t);
            }
        }
        if (failure != null) {
            if (shuffleSeed != null) {
                failure.addSuppressed(new ShuffledOrderSeed(shuffleSeed));
            }
            throw LoopInternals.sneakyThrow(failure);
        }
    }

    // ------------------------------------------------------------------ moving time

    /**
     * Moves virtual time forward by {@code delta}, running everything that comes due on the way in
     * deadline order, each timer at its own deadline, and everything those callbacks and tasks do in
     * turn; returns once nothing is runnable, nothing the loop knows of is in flight, and the next
     * deadline is after the new time. Timers due exactly at the new time have run. Works in both time
     * modes.
     *
     * @param delta how far to move, not negative
     * @throws IllegalArgumentException if {@code delta} is negative
     * @throws IllegalStateException from a callback of this loop, while another time operation is in
     *     progress, or after {@link #close()}
     * @throws AssertionError when called from outside the loop and the timeout passes
     */
    public void advanceTimeBy(Duration delta) {
        Objects.requireNonNull(delta, "delta");
        if (delta.isNegative()) {
            throw new IllegalArgumentException("advanceTimeBy(" + delta + "): virtual time cannot move backwards");
        }
        long nanos = LoopInternals.toNanosSaturated(delta);
        perform("advanceTimeBy", () -> awaitOperation("advanceTimeBy", LoopInternals.saturatedAdd(clock.nanoTime(), nanos), true, false));
    }

    /**
     * Moves virtual time forward to {@code time} (measured from the loop's creation); otherwise as
     * {@link #advanceTimeBy}.
     *
     * @param time the new reading of {@link #currentTime()}
     * @throws IllegalArgumentException if the clock already reads later than {@code time}
     * @throws IllegalStateException as {@link #advanceTimeBy}
     */
    public void advanceTimeTo(Duration time) {
        Objects.requireNonNull(time, "time");
        long target = LoopInternals.toNanosSaturated(time);
        perform("advanceTimeTo", () -> {
            long now = clock.nanoTime();
            if (target < now) {
                throw new IllegalArgumentException("advanceTimeTo(" + time + "): the virtual clock already reads "
                        + Duration.ofNanos(now) + " and cannot move backwards");
            }
            awaitOperation("advanceTimeTo", target, true, false);
        });
    }

    /**
     * Runs everything that is ready at the current virtual time, and what that schedules for now,
     * without moving time; returns as soon as nothing is runnable, even if work is in flight.
     *
     * @throws IllegalStateException as {@link #advanceTimeBy}
     */
    public void runCurrent() {
        perform("runCurrent", () -> awaitOperation("runCurrent", clock.nanoTime(), false, true));
    }

    /**
     * Moves virtual time from deadline to deadline until no timer is left (other than those at the
     * end of time, such as an infinite sleep), nothing is runnable and nothing is in flight. Never
     * returns if something reschedules itself forever (e.g. {@code Flux.interval} still subscribed):
     * the timeout then fails the test.
     *
     * @throws IllegalStateException as {@link #advanceTimeBy}
     */
    public void advanceUntilIdle() {
        perform("advanceUntilIdle", () -> awaitOperation("advanceUntilIdle", Long.MAX_VALUE - 1, false, false));
    }

    private void perform(String name, Runnable operation) {
        checkUsable(name);
        EventLoop running = LoopInternals.runningLoopOrNull();
        if (running == loop) {
            if (Asyncio.currentTask() == null) {
                throw new IllegalStateException("TestLoop." + name + "() was called from a callback of the test loop; "
                        + "callbacks cannot suspend: call it from a coroutine (the test body or a task)");
            }
            operation.run();
        } else if (loop.isRunning()) {
            CompletableFuture<Void> done = loop.runCoroutineThreadsafe(() -> {
                operation.run();
                return null;
            });
            try {
                done.get();
            } catch (ExecutionException e) {
                throw LoopInternals.sneakyThrow(e.getCause());
            } catch (InterruptedException e) {
                done.cancel(false);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("TestLoop." + name + "() was interrupted", e);
            }
        } else {
            run("TestLoop." + name, () -> {
                operation.run();
                return null;
            });
        }
    }

    /** On the loop's turn, in a coroutine: suspend until the clock reports {@code op} complete. */
    private void awaitOperation(String name, long limit, boolean endsAtLimit, boolean endsWhenNothingReady) {
        Future<Void> done = loop.createFuture();
        TestClock.Operation op = new TestClock.Operation(name, Math.min(limit, Long.MAX_VALUE - 1), endsAtLimit, endsWhenNothingReady,
                () -> loop.callSoonThreadsafe(() -> {
                    if (!done.isDone()) {
                        done.setResult(null);
                    }
                }));
        clock.begin(op);
        // A timer at the end of time makes the idle loop consult the clock even when it has no other timer.
        TimerHandle sentinel = loop.callAtNanos(Long.MAX_VALUE, () -> { });
        try {
            done.await();
        } finally {
            clock.end(op);
            sentinel.cancel();
        }
    }

    // ------------------------------------------------------------------ the end

    /**
     * Ends the test: cancels the tasks still pending and runs the loop until they have finished (as
     * {@code asyncio.run} does), closes the loop (which reports exceptions never retrieved), undoes the
     * one-clock hooks, and then fails if the test left something behind. Idempotent.
     *
     * @throws AssertionError if tasks were still pending (unless {@code failOnLeakedTasks} is off), with
     *     what each awaited; or if errors reached the loop's exception handler, with the first as cause
     *     and the others suppressed
     * @throws IllegalStateException if called from the loop's own coroutines, or while another thread
     *     runs the loop
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (LoopInternals.runningLoopOrNull() == loop) {
            throw new IllegalStateException("TestLoop.close() was called from a coroutine of its own loop; "
                    + "close it after the test body has returned");
        }
        if (loop.isRunning() && !abandoned) {
            throw new IllegalStateException("TestLoop.close() was called while another thread runs its loop");
        }
        closed = true;
        String leaked = null;
        try {
            if (!abandoned) {
                List<Task<?>> left = loop.allTasks();
                if (!left.isEmpty()) {
                    leaked = dumpTasks();
                    cancelLeftovers(left);
                }
                if (!abandoned) {
                    LoopInternals.setReadyOrderShuffle(loop, null);
                    loop.close();
                }
            }
        } finally {
            if (oneClock != null) {
                oneClock.detach();
            }
        }
        AssertionError failure = failure(failOnLeakedTasks ? leaked : null);
        if (failure != null) {
            throw failure;
        }
    }

    private void cancelLeftovers(List<Task<?>> left) {
        for (Task<?> t : left) {
            t.cancel("the test ended with this task still pending");
        }
        Task<Void> sweeper = loop.createTask(() -> {
            for (Task<?> t : left) {
                try {
                    t.await();
                } catch (CancelledError expected) {
                    // cancelled as asked
                } catch (Throwable e) {
                    reported.add(new ExceptionContext(
                            "exception raised by a task left over at the end of the test while it was cancelled", e, t, null));
                }
            }
            return null;
        }, "TestLoop.close", null);
        try {
            LoopHost.run(this, sweeper, timeout.compareTo(CLEANUP_LIMIT) < 0 ? timeout : CLEANUP_LIMIT);
        } catch (Throwable e) {
            reported.add(ExceptionContext.of("the tasks left over at the end of the test did not finish after being cancelled", e));
        }
    }

    private AssertionError failure(String leaked) {
        List<ExceptionContext> errors = new ArrayList<>(reported);
        if (leaked == null && errors.isEmpty()) {
            return null;
        }
        StringBuilder msg = new StringBuilder();
        if (leaked != null) {
            msg.append("The test left tasks running: cancel or await every task before the test ends, or opt out "
                    + "with @AsyncioTest(failOnLeakedTasks = false) / TestLoop.builder().failOnLeakedTasks(false). ")
                    .append(leaked);
        }
        if (!errors.isEmpty()) {
            if (msg.length() > 0) {
                msg.append("\n");
            }
            msg.append(errors.size()).append(errors.size() == 1 ? " error" : " errors")
                    .append(" reached the test loop's exception handler (exceptions never retrieved from a task or "
                            + "future, or thrown by a callback); await the task or call exception() on it:");
            int i = 1;
            for (ExceptionContext c : errors) {
                msg.append("\n  ").append(i++).append(". ").append(c.toString().replace("\n", "\n     "));
                if (c.exception() != null) {
                    msg.append("\n     exception: ").append(c.exception());
                }
            }
        }
        AssertionError e = new AssertionError(msg.toString());
        boolean first = true;
        for (ExceptionContext c : errors) {
            if (c.exception() == null) {
                continue;
            }
            if (first) {
                e.initCause(c.exception());
                first = false;
            } else {
                e.addSuppressed(c.exception());
            }
        }
        return e;
    }

    /** Called by {@link LoopHost} when the loop no longer answers: it is left to its thread. */
    void abandon() {
        abandoned = true;
    }

    private void checkUsable(String method) {
        if (closed) {
            throw new IllegalStateException("TestLoop." + method + "(): the test loop is closed");
        }
        if (abandoned) {
            throw new IllegalStateException("TestLoop." + method + "(): the test loop was abandoned after a coroutine "
                    + "blocked its thread past the timeout");
        }
    }

    boolean isClosed() {
        return closed;
    }

    // ------------------------------------------------------------------ helpers

    @Override
    public String toString() {
        return "TestLoop[" + timeMode + ", virtual time " + currentTime() + (closed ? ", closed" : "") + "]";
    }
}
