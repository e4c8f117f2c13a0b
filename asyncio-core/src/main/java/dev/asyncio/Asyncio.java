package dev.asyncio;

import dev.asyncio.engine.Durations;
import dev.asyncio.engine.LoopRegistry;
import dev.asyncio.engine.MisuseAdvice;
import dev.asyncio.engine.ThreadLocalPropagation;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * asyncio's module functions, meant for {@code import static dev.asyncio.Asyncio.*}.
 *
 * <p><b>Naming</b> (docs/design.md §3): an asyncio coroutine function becomes a method that suspends the
 * calling coroutine and returns the value ({@code await asyncio.sleep(1)} → {@code sleep(ofSeconds(1))});
 * a function that returns a future or task returns one here ({@code gather} → a
 * {@code Future<List<T>>}, awaited with {@code .await()}).
 *
 * <p><b>Threads.</b> Methods that suspend must be called from a coroutine, i.e. from the body of a
 * task running on a loop; elsewhere they throw {@link IllegalStateException} saying so. The
 * {@code run} methods must be called from a thread that is not running a loop.
 *
 * <pre>{@code
 * Asyncio.run(() -> {
 *     Task<String> a = createTask(() -> { sleep(ofSeconds(1)); return "Hello"; });
 *     Task<String> b = createTask(() -> { sleep(ofSeconds(1)); return "World"; });
 *     System.out.println(gather(a, b).await());   // [Hello, World] after one second, not two
 * });
 * }</pre>
 */
public final class Asyncio {

    private Asyncio() {
    }

    // ------------------------------------------------------------------ running

    /**
     * Runs {@code main} on a new loop and returns its result (asyncio's {@code run}): creates the loop,
     * runs the coroutine as a task, then cancels and awaits every task left over, reports any that fail
     * while cleaning up, and closes the loop.
     *
     * <p>An interrupt of the calling thread is asyncio's Ctrl-C: it cancels {@code main}, and this
     * method then throws a {@link CancelledError} that lists the loop's tasks as they were; see
     * {@link Runner#run}.
     *
     * <p><b>Debug mode</b> follows the system property {@code dev.asyncio.debug} (asyncio's
     * {@code run(main, debug=None)} following {@code PYTHONASYNCIODEBUG}): run with
     * {@code -Ddev.asyncio.debug=true} and the loop reports steps that hold its turn too long, with the
     * task's name and stack (see {@link EventLoop#setDebug(boolean)}). {@link #run(Coroutine, boolean)}
     * turns it on or off explicitly, whatever the property says.
     *
     * @param main the top-level coroutine
     * @param <T> its result type
     * @return what {@code main} returned
     * @throws CancelledError if {@code main} was cancelled, by an interrupt of this thread among others
     * @throws IllegalStateException if called from a thread that is running a loop (inside a coroutine,
     *     await the work instead)
     */
    public static <T> T run(Coroutine<T> main) {
        return runWith(main, null);
    }

    /**
     * Runs {@code main} on a new loop; see {@link #run(Coroutine)} (debug mode follows
     * {@code -Ddev.asyncio.debug}).
     *
     * @param main the top-level coroutine
     */
    public static void run(VoidCoroutine main) {
        runWith(main.asCoroutine(), null);
    }

    /**
     * Runs {@code main} on a new loop, in debug mode if {@code debug}, whatever the system property
     * {@code dev.asyncio.debug} says; see {@link #run(Coroutine)}.
     *
     * @param main the top-level coroutine
     * @param debug whether the loop runs in debug mode (slow steps logged)
     * @param <T> its result type
     * @return what {@code main} returned
     */
    public static <T> T run(Coroutine<T> main, boolean debug) {
        return runWith(main, debug);
    }

    /** {@code debug == null}: leave the loop's own setting, which follows {@code -Ddev.asyncio.debug}. */
    private static <T> T runWith(Coroutine<T> main, Boolean debug) {
        Objects.requireNonNull(main, "main");
        if (EventLoopEngine.runningLoop() != null) {
            throw new IllegalStateException("Asyncio.run() cannot be called from a running event loop; "
                    + "inside a coroutine, await the coroutine's work directly or use createTask(...)");
        }
        try (Runner runner = new Runner(EventLoop::new, debug)) {
            return runner.run(main);
        }
    }

    // ------------------------------------------------------------------ sleeping

    /**
     * Suspends the calling coroutine for {@code delay} on its loop's clock (asyncio's {@code sleep}).
     * {@code sleep(Duration.ZERO)} yields exactly once: every other ready task and callback runs before
     * this coroutine resumes. A negative delay is treated as zero, as in asyncio.
     *
     * @param delay how long to sleep
     * @throws CancelledError if the task is cancelled meanwhile
     * @throws IllegalStateException if not called from a coroutine
     */
    public static void sleep(Duration delay) {
        long nanos = Durations.toNanosSaturated(delay);
        Task<?> task = EventLoopEngine.requireCurrentTask("sleep()");
        if (nanos <= 0) {
            task.yieldOnce();
            return;
        }
        task.sleepUntil(Durations.saturatedAdd(task.loop.timeNanos(), nanos));
    }

    /**
     * Suspends the calling coroutine for {@code seconds}, as {@code await asyncio.sleep(seconds)}.
     *
     * @param seconds how long to sleep; zero or negative yields once
     * @throws IllegalArgumentException if {@code seconds} is NaN
     */
    public static void sleep(double seconds) {
        sleep(Duration.ofNanos(Durations.secondsToNanos(seconds, "sleep delay")));
    }

    // ------------------------------------------------------------------ tasks

    /**
     * Wraps {@code coroutine} in a task on the running loop, started in the next iteration (asyncio's
     * {@code create_task}). Keep a reference to the task (or await it): an exception it raises that no
     * one retrieves is reported as lost.
     *
     * @param coroutine the coroutine
     * @param <T> its result type
     * @return the task
     * @throws IllegalStateException if there is no running loop on this thread
     */
    public static <T> Task<T> createTask(Coroutine<T> coroutine) {
        return getRunningLoop().createTask(coroutine);
    }

    /**
     * Wraps {@code coroutine} in a task named {@code name}; see {@link #createTask(Coroutine)}.
     *
     * @param coroutine the coroutine
     * @param name the task's name
     * @param <T> its result type
     * @return the task
     */
    public static <T> Task<T> createTask(Coroutine<T> coroutine, String name) {
        return getRunningLoop().createTask(coroutine, name, null);
    }

    /**
     * Wraps a coroutine without result in a task; see {@link #createTask(Coroutine)}.
     *
     * @param coroutine the coroutine
     * @return the task
     */
    public static Task<Void> createTask(VoidCoroutine coroutine) {
        return getRunningLoop().createTask(coroutine);
    }

    /**
     * Wraps a coroutine without result in a named task; see {@link #createTask(Coroutine)}.
     *
     * @param coroutine the coroutine
     * @param name the task's name
     * @return the task
     */
    public static Task<Void> createTask(VoidCoroutine coroutine, String name) {
        return getRunningLoop().createTask(coroutine.asCoroutine(), name, null);
    }

    /**
     * @return the task whose coroutine is running, or {@code null} inside a callback (asyncio's
     *     {@code current_task})
     * @throws IllegalStateException if there is no running loop on this thread
     */
    public static Task<?> currentTask() {
        return getRunningLoop().engine.currentTask;
    }

    /**
     * @return the running loop's tasks that are not done (asyncio's {@code all_tasks})
     * @throws IllegalStateException if there is no running loop on this thread
     */
    public static List<Task<?>> allTasks() {
        return getRunningLoop().allTasks();
    }

    // ------------------------------------------------------------------ gather

    /**
     * asyncio's {@code gather}: a future of the results of {@code futures}, in argument order. The first
     * failure (exception or cancellation of a child) becomes the gathering future's exception, and the
     * other children go on running. Cancelling the gathering future cancels every child.
     *
     * @param futures futures or tasks of one loop
     * @param <T> the common result type
     * @return a future of the list of results
     */
    @SafeVarargs
    public static <T> Future<List<T>> gather(Future<? extends T>... futures) {
        return Gather.of(Arrays.asList(futures), false);
    }

    /**
     * {@link #gather(Future[])} over a collection.
     *
     * @param futures futures or tasks of one loop
     * @param <T> the common result type
     * @return a future of the list of results
     */
    public static <T> Future<List<T>> gather(Collection<? extends Future<? extends T>> futures) {
        return Gather.of(List.copyOf(futures), false);
    }

    /**
     * asyncio's {@code gather(*coros)}: each coroutine becomes a task on the running loop.
     *
     * @param coroutines the coroutines
     * @param <T> the common result type
     * @return a future of the list of results
     * @throws IllegalStateException if there is no running loop on this thread
     */
    @SafeVarargs
    public static <T> Future<List<T>> gather(Coroutine<? extends T>... coroutines) {
        EventLoop loop = getRunningLoop();
        Future<?>[] tasks = new Future<?>[coroutines.length];
        for (int i = 0; i < coroutines.length; i++) {
            tasks[i] = loop.createTask(coroutines[i]);
        }
        return Gather.of(Arrays.asList(tasks), false);
    }

    /**
     * asyncio's {@code gather(..., return_exceptions=True)}: waits for every child and lists, in
     * argument order, each one's result, exception, or {@link CancelledError}. Never fails because a
     * child failed.
     *
     * @param futures futures or tasks of one loop
     * @return a future of the list of results and exceptions
     */
    public static Future<List<Object>> gatherReturnExceptions(Future<?>... futures) {
        return Gather.of(Arrays.asList(futures), true);
    }

    /**
     * {@link #gatherReturnExceptions(Future[])} over a collection.
     *
     * @param futures futures or tasks of one loop
     * @return a future of the list of results and exceptions
     */
    public static Future<List<Object>> gatherReturnExceptions(Collection<? extends Future<?>> futures) {
        return Gather.of(List.copyOf(futures), true);
    }

    // ---- timeouts and waiting

    /**
     * {@code async with asyncio.timeout(delay): return await body()}: runs {@code body} in the calling
     * task under a deadline {@code delay} from now on the loop's clock, with asyncio's semantics (see
     * {@link Timeout}).
     * <pre>{@code
     * String page = timeout(ofSeconds(10), () -> fetch(url));
     * }</pre>
     *
     * @param delay the time limit, or {@code null} for none; zero or negative expires in the next
     *     iteration
     * @param body the code to limit
     * @param <T> its result type
     * @return what {@code body} returned (also when it swallowed the cancellation and returned anyway)
     * @throws TimeoutError if the deadline cancelled the body (the {@link CancelledError} is its cause)
     * @throws CancelledError if the calling task was cancelled from outside
     * @throws IllegalStateException if not called from a coroutine
     */
    public static <T> T timeout(Duration delay, Coroutine<T> body) {
        Objects.requireNonNull(body, "body");
        return timeout(delay, scope -> body.call());
    }

    /**
     * A body without result under a deadline; see {@link #timeout(Duration, Coroutine)}.
     *
     * @param delay the time limit, or {@code null} for none
     * @param body the code to limit
     * @throws TimeoutError if the deadline cancelled the body
     * @throws CancelledError if the calling task was cancelled from outside
     * @throws IllegalStateException if not called from a coroutine
     */
    public static void timeout(Duration delay, VoidCoroutine body) {
        timeout(delay, body.asCoroutine());
    }

    /**
     * {@code async with asyncio.timeout(delay) as cm: …}: runs {@code body} under a deadline and gives
     * it the scope, to read or move the deadline ({@link Timeout#when()},
     * {@link Timeout#reschedule(Double)}, {@link Timeout#expired()}); otherwise as
     * {@link #timeout(Duration, Coroutine)}.
     * <pre>{@code
     * String page = timeout(ofSeconds(10), cm -> {
     *     String p = fetch(url);
     *     cm.reschedule(null);          // render without a deadline
     *     return p + render(p);
     * });
     * }</pre>
     *
     * @param delay the time limit, or {@code null} for none
     * @param body the code to limit; a body with nothing to return returns {@code null}
     * @param <T> its result type
     * @return what {@code body} returned
     * @throws TimeoutError if the deadline cancelled the body (the {@link CancelledError} is its cause)
     * @throws CancelledError if the calling task was cancelled from outside
     * @throws IllegalStateException if not called from a coroutine
     */
    public static <T> T timeout(Duration delay, Timeout.Body<T> body) {
        Objects.requireNonNull(body, "body");
        Task<?> task = EventLoopEngine.requireCurrentTask("timeout()");
        return Timeout.enterAfter(task, delay == null ? null : Durations.toNanosSaturated(delay)).runInside(body);
    }

    /**
     * {@code async with asyncio.timeout_at(when): return await body()}: runs {@code body} under an
     * absolute deadline; see {@link #timeout(Duration, Coroutine)}.
     *
     * @param when the deadline in seconds on the loop's clock ({@link EventLoop#time()}), or {@code null}
     *     for none
     * @param body the code to limit
     * @param <T> its result type
     * @return what {@code body} returned
     * @throws TimeoutError if the deadline cancelled the body
     * @throws CancelledError if the calling task was cancelled from outside
     * @throws IllegalStateException if not called from a coroutine
     * @throws IllegalArgumentException if {@code when} is NaN
     */
    public static <T> T timeoutAt(Double when, Coroutine<T> body) {
        Objects.requireNonNull(body, "body");
        return timeoutAt(when, scope -> body.call());
    }

    /**
     * A body without result under an absolute deadline; see {@link #timeoutAt(Double, Coroutine)}.
     *
     * @param when the deadline in seconds on the loop's clock, or {@code null} for none
     * @param body the code to limit
     * @throws TimeoutError if the deadline cancelled the body
     * @throws CancelledError if the calling task was cancelled from outside
     * @throws IllegalStateException if not called from a coroutine
     */
    public static void timeoutAt(Double when, VoidCoroutine body) {
        timeoutAt(when, body.asCoroutine());
    }

    /**
     * {@code async with asyncio.timeout_at(when) as cm: …}: runs {@code body} under an absolute
     * deadline and gives it the scope; see {@link #timeout(Duration, Timeout.Body)}.
     *
     * @param when the deadline in seconds on the loop's clock, or {@code null} for none
     * @param body the code to limit; a body with nothing to return returns {@code null}
     * @param <T> its result type
     * @return what {@code body} returned
     * @throws TimeoutError if the deadline cancelled the body
     * @throws CancelledError if the calling task was cancelled from outside
     * @throws IllegalStateException if not called from a coroutine
     * @throws IllegalArgumentException if {@code when} is NaN
     */
    public static <T> T timeoutAt(Double when, Timeout.Body<T> body) {
        Objects.requireNonNull(body, "body");
        return Timeout.enterAt(EventLoopEngine.requireCurrentTask("timeoutAt()"), when).runInside(body);
    }

    /**
     * asyncio's {@code wait_for(aw, timeout)} (3.12+ semantics) for a future or task: waits for it for at
     * most {@code timeout}; at the deadline cancels it and waits until it has really finished. If it
     * finished with a value anyway (it swallowed the cancellation), that value is returned; if it
     * raised another exception while being cancelled, that exception propagates. Cancelling the
     * calling task cancels the future too; wrap it in {@link #shield} to prevent that.
     *
     * @param future the future or task
     * @param timeout the limit; {@code null} waits without limit; zero or negative cancels a future that
     *     is not done yet at once (and waits for it) without waiting for anything else
     * @param <T> the result type
     * @return the future's result
     * @throws TimeoutError if the deadline cancelled the future (its {@link CancelledError} is the cause)
     * @throws CancelledError if the calling task was cancelled
     * @throws IllegalStateException if not called from a coroutine
     */
    public static <T> T waitFor(Future<T> future, Duration timeout) {
        return Waiting.waitFor(future, timeout);
    }

    /**
     * asyncio's {@code wait_for(coro, timeout)} (3.12+): runs {@code coroutine} inline in the calling task
     * under a {@link #timeout(Duration, Coroutine)} scope, so it has finished when this returns. With a
     * timeout of zero or less it becomes a task that is cancelled before it starts (with eager task
     * start, after its first step), as in asyncio.
     *
     * @param coroutine the coroutine
     * @param timeout the limit, or {@code null} for none
     * @param <T> its result type
     * @return its result, also when it swallowed the cancellation and returned anyway
     * @throws TimeoutError if the deadline cancelled it
     * @throws IllegalStateException if not called from a coroutine
     */
    public static <T> T waitFor(Coroutine<T> coroutine, Duration timeout) {
        return Waiting.waitFor(coroutine, timeout);
    }

    /**
     * A coroutine without result; see {@link #waitFor(Coroutine, Duration)}.
     *
     * @param coroutine the coroutine
     * @param timeout the limit, or {@code null} for none
     */
    public static void waitFor(VoidCoroutine coroutine, Duration timeout) {
        Waiting.waitFor(coroutine.asCoroutine(), timeout);
    }

    /**
     * asyncio's {@code shield}: a future that follows {@code future} but whose cancellation (for
     * instance because the task awaiting it is cancelled) does not cancel {@code future}. If
     * {@code future} is already done it is returned itself. Unlike asyncio, an exception {@code future}
     * raises after the shield was cancelled is not marked retrieved, so it is reported as lost unless
     * someone else retrieves it.
     *
     * @param future the future to protect
     * @param <T> the result type
     * @return the outer future, to await
     * @throws IllegalStateException off the loop's turn
     */
    public static <T> Future<T> shield(Future<T> future) {
        Objects.requireNonNull(future, "future");
        future.loop.engine.checkThread("shield");
        return Shield.of(future);
    }

    /**
     * asyncio's {@code shield(coro)}: runs {@code coroutine} as a task on the running loop and shields
     * it; see {@link #shield(Future)}.
     *
     * @param coroutine the coroutine
     * @param <T> its result type
     * @return the outer future, to await
     * @throws IllegalStateException if there is no running loop on this thread
     */
    public static <T> Future<T> shield(Coroutine<T> coroutine) {
        return Shield.of(getRunningLoop().createTask(coroutine));
    }

    /**
     * asyncio's {@code wait(fs)}: suspends until every future is done; see
     * {@link #wait(Collection, Duration, ReturnWhen)}. Called as {@code Asyncio.wait(...)}: inside an
     * instance method a static import of {@code wait} is shadowed by {@link Object#wait()}.
     *
     * @param futures the futures or tasks, at least one
     * @param <F> their type
     * @return the done and pending futures
     */
    public static <F extends Future<?>> WaitResult<F> wait(Collection<F> futures) {
        return Waiting.wait(futures, null, ReturnWhen.ALL_COMPLETED);
    }

    /**
     * asyncio's {@code wait(fs, timeout=...)}: suspends until every future is done or the timeout
     * expires; see {@link #wait(Collection, Duration, ReturnWhen)}.
     *
     * @param futures the futures or tasks, at least one
     * @param timeout the limit, or {@code null} for none
     * @param <F> their type
     * @return the done and pending futures
     */
    public static <F extends Future<?>> WaitResult<F> wait(Collection<F> futures, Duration timeout) {
        return Waiting.wait(futures, timeout, ReturnWhen.ALL_COMPLETED);
    }

    /**
     * asyncio's {@code wait(fs, timeout=..., return_when=...)}: suspends until {@code returnWhen} is met
     * or the timeout expires, then returns which futures are done and which are pending. It never
     * raises on timeout and never cancels anything; cancelling the calling task leaves the futures
     * alone. Even if every future is done already it suspends once, as asyncio does. Called as
     * {@code Asyncio.wait(...)} (see {@link #wait(Collection)}).
     *
     * @param futures the futures or tasks of the running loop, at least one; repeats count once
     * @param timeout the limit, or {@code null} for none
     * @param returnWhen when to return
     * @param <F> their type
     * @return the done and pending futures
     * @throws IllegalArgumentException if {@code futures} is empty or holds a future of another loop
     * @throws CancelledError if the calling task is cancelled meanwhile
     * @throws IllegalStateException if not called from a coroutine
     */
    public static <F extends Future<?>> WaitResult<F> wait(Collection<F> futures, Duration timeout, ReturnWhen returnWhen) {
        return Waiting.wait(futures, timeout, returnWhen);
    }

    /**
     * asyncio's {@code as_completed(fs)}: the futures in the order they finish; see
     * {@link #asCompleted(Collection, Duration)}.
     *
     * @param futures the futures or tasks
     * @param <F> their type
     * @return a one-shot iterable of the same futures, in completion order
     */
    public static <F extends Future<?>> Iterable<F> asCompleted(Collection<F> futures) {
        return new AsCompleted<>(futures, null);
    }

    /**
     * asyncio's {@code as_completed(fs, timeout=...)}: an iterable (one pass only) that yields the given
     * futures themselves in the order they finish. {@code hasNext()} never suspends; {@code next()}
     * suspends the calling coroutine until the next one is done and returns it (so its {@code await()}
     * returns at once), and throws {@link TimeoutError} for each future still pending when the timeout,
     * counted from this call, expires. Nothing is cancelled.
     * <pre>{@code
     * for (Task<String> t : asCompleted(tasks, ofSeconds(5))) {
     *     System.out.println(t.await());
     * }
     * }</pre>
     *
     * @param futures the futures or tasks of one loop; repeats count once
     * @param timeout the limit, or {@code null} for none
     * @param <F> their type
     * @return a one-shot iterable of the same futures, in completion order
     * @throws IllegalStateException off the loop's turn
     * @throws IllegalArgumentException if the futures belong to different loops
     */
    public static <F extends Future<?>> Iterable<F> asCompleted(Collection<F> futures, Duration timeout) {
        return new AsCompleted<>(futures, timeout);
    }

    /**
     * Like {@link #createTask(Coroutine)}, but the coroutine starts eagerly: its first step runs now,
     * before this returns (asyncio 3.14's {@code create_task(coro, eager_start=True)}; see
     * {@link EventLoop#createTask(Coroutine, String, Context, boolean)}).
     *
     * @param coroutine the coroutine
     * @param <T> its result type
     * @return the task, already done if the coroutine finished without suspending
     * @throws IllegalStateException if there is no running loop on this thread
     */
    public static <T> Task<T> createEagerTask(Coroutine<T> coroutine) {
        return getRunningLoop().createTask(coroutine, null, null, true);
    }

    /**
     * An eagerly started task without result; see {@link #createEagerTask(Coroutine)}.
     *
     * @param coroutine the coroutine
     * @return the task
     */
    public static Task<Void> createEagerTask(VoidCoroutine coroutine) {
        return getRunningLoop().createTask(coroutine.asCoroutine(), null, null, true);
    }

    // ------------------------------------------------------------------ loops

    /**
     * @return the loop whose turn the calling thread holds (asyncio's {@code get_running_loop})
     * @throws IllegalStateException if there is none
     */
    public static EventLoop getRunningLoop() {
        EventLoop loop = EventLoopEngine.runningLoop();
        if (loop == null) {
            throw new IllegalStateException("no running event loop in thread '" + Thread.currentThread().getName()
                    + "'; this must be called from a coroutine or callback ("
                    + MisuseAdvice.noLoop("start one with Asyncio.run(...)") + ")");
        }
        return loop;
    }

    /** @return a new loop on the system clock (asyncio's {@code new_event_loop}) */
    public static EventLoop newEventLoop() {
        return new EventLoop();
    }

    /**
     * asyncio's {@code get_event_loop}: the running loop inside a coroutine or callback; elsewhere the
     * loop set for this thread with {@link #setEventLoop}.
     *
     * @return the loop
     * @throws IllegalStateException if there is neither
     */
    public static EventLoop getEventLoop() {
        EventLoop loop = EventLoopEngine.runningLoop();
        if (loop != null) {
            return loop;
        }
        loop = (EventLoop) LoopRegistry.threadLoop();
        if (loop == null) {
            throw new IllegalStateException("There is no current event loop in thread '" + Thread.currentThread().getName()
                    + "': call Asyncio.setEventLoop(Asyncio.newEventLoop()) first, or run the program with Asyncio.run(...)");
        }
        return loop;
    }

    /**
     * Sets the calling thread's current loop (asyncio's {@code set_event_loop}).
     *
     * @param loop the loop, or {@code null} to clear it
     */
    public static void setEventLoop(EventLoop loop) {
        LoopRegistry.setThreadLoop(loop);
    }

    // ------------------------------------------------------------------ threads and Java futures

    /**
     * Runs {@code function} on another thread and suspends the calling coroutine until it returns
     * (asyncio's {@code to_thread}): the way to call blocking code (file I/O, JDBC, a blocking library)
     * without stalling the loop. The function runs in a copy of the caller's {@link Context}, so its
     * {@link ContextVar}s are visible there (changes made there are not seen back here), and with the
     * caller's propagated thread-local values (SLF4J's MDC, …) once asyncio-reactor's
     * {@code ReactorCoroutines.enableContextPropagation()} is on; it runs on the loop's
     * default executor (see {@link EventLoop#runInExecutor}: a bounded pool of platform threads unless
     * {@link EventLoop#setDefaultExecutor} chose another). It counts as external work, so an
     * auto-jumping virtual clock waits for it.
     *
     * <p>If the calling task is cancelled meanwhile, this throws {@link CancelledError} at once; the
     * function, if it has started, runs on to its end (a thread cannot be stopped, as in asyncio) and
     * its outcome is dropped.
     *
     * <pre>{@code
     * String text = toThread(() -> Files.readString(path));
     * }</pre>
     *
     * @param function the blocking work; for work without a result, return {@code null}
     * @param <T> its result type
     * @return what {@code function} returned
     * @throws CancelledError if the calling task is cancelled meanwhile
     * @throws IllegalStateException if not called from a coroutine, or after the loop's
     *     {@link EventLoop#shutdownDefaultExecutor}
     */
    public static <T> T toThread(Callable<T> function) {
        Objects.requireNonNull(function, "function");
        Task<?> task = EventLoopEngine.requireCurrentTask("toThread()");
        Context context = Context.copyCurrent();
        ThreadLocalPropagation.Snapshot locals = ThreadLocalPropagation.capture();
        return task.loop.runInExecutor(null, () -> ThreadLocalPropagation.callWith(locals, () -> context.run(function))).await();
    }

    /**
     * asyncio's {@code ensure_future(fut)}: a future is already one, and is returned as it is.
     *
     * @param future the future (or task)
     * @param <T> its result type
     * @return {@code future}
     */
    public static <T> Future<T> ensureFuture(Future<T> future) {
        return Objects.requireNonNull(future, "future");
    }

    /**
     * asyncio's {@code ensure_future(coro)}: schedules the coroutine as a task of the running loop, as
     * {@link #createTask(Coroutine)} does.
     *
     * @param coroutine the coroutine
     * @param <T> its result type
     * @return the new task
     * @throws IllegalStateException if there is no running loop on this thread
     */
    public static <T> Task<T> ensureFuture(Coroutine<T> coroutine) {
        return createTask(coroutine);
    }

    /**
     * asyncio's {@code ensure_future(awaitable)} for a Java {@link CompletionStage} (a
     * {@code CompletableFuture}, say): a future of the current loop that follows it, as
     * {@link #wrapFuture(CompletionStage)} does.
     *
     * @param stage the stage
     * @param <T> its value type
     * @return a future on the current loop
     * @throws IllegalStateException if there is no current loop
     */
    public static <T> Future<T> ensureFuture(CompletionStage<T> stage) {
        return wrapFuture(stage);
    }

    /**
     * asyncio's {@code wrap_future}, for a {@link CompletionStage}: a future on the current loop
     * ({@link #getEventLoop()}) that completes with the stage's value, with the very exception that
     * completed it (a {@link java.util.concurrent.CompletionException} added by a dependent stage is
     * unwrapped), or cancelled if it was cancelled. Cancelling the returned future cancels the stage
     * if it is a {@link java.util.concurrent.Future} ({@code cancel(false)}: a running computation is
     * not interrupted); a stage that is not cannot be cancelled. Wrapping the
     * {@link Future#toCompletableFuture()} of a future of this loop gives that future back. While the
     * stage is pending it counts as external work, so an auto-jumping virtual clock does not jump past
     * it (and a stage that never completes keeps that clock from jumping).
     *
     * @param stage the stage, completed on any thread
     * @param <T> its value type
     * @return a future on the current loop
     * @throws IllegalStateException if there is no current loop
     */
    public static <T> Future<T> wrapFuture(CompletionStage<T> stage) {
        Objects.requireNonNull(stage, "stage");
        return FutureBridge.wrap(getEventLoop(), stage);
    }

    /**
     * {@link #wrapFuture(CompletionStage)} for a {@link CompletableFuture} (this overload exists
     * because a {@code CompletableFuture} is both a stage and a {@code java.util.concurrent.Future}).
     *
     * @param future the future
     * @param <T> its value type
     * @return a future on the current loop
     */
    public static <T> Future<T> wrapFuture(CompletableFuture<T> future) {
        return wrapFuture((CompletionStage<T>) future);
    }

    /**
     * asyncio's {@code wrap_future} for a plain {@link java.util.concurrent.Future} (e.g. from
     * {@code ExecutorService.submit}): as {@link #wrapFuture(CompletionStage)}; since a plain future
     * offers no completion callback, a virtual thread waits for it. Cancelling the returned future
     * calls {@code cancel(false)} on it, as asyncio does.
     *
     * @param future the future
     * @param <T> its value type
     * @return a future on the current loop
     */
    public static <T> Future<T> wrapFuture(java.util.concurrent.Future<T> future) {
        Objects.requireNonNull(future, "future");
        return FutureBridge.wrap(getEventLoop(), future);
    }

    /**
     * Suspends the calling coroutine until {@code stage} completes and returns its value, or throws the
     * very exception that completed it (see {@link #wrapFuture(CompletionStage)}); if the calling task
     * is cancelled meanwhile, the stage is cancelled (when it is a {@code java.util.concurrent.Future})
     * and {@link CancelledError} is thrown. The Java counterpart of {@code await} on a concurrent future;
     * use it instead of {@code get()}/{@code join()}, which would block the loop.
     *
     * @param stage the stage
     * @param <T> its value type
     * @return its value
     * @throws CancelledError if the stage or the calling task is cancelled
     * @throws IllegalStateException if not called from a coroutine
     */
    public static <T> T await(CompletionStage<T> stage) {
        Objects.requireNonNull(stage, "stage");
        Task<?> task = EventLoopEngine.requireCurrentTask("Asyncio.await()");
        return FutureBridge.wrap(task.loop, stage).await();
    }

    /**
     * {@link #await(CompletionStage)} for a {@link CompletableFuture}.
     *
     * @param future the future
     * @param <T> its value type
     * @return its value
     */
    public static <T> T await(CompletableFuture<T> future) {
        return await((CompletionStage<T>) future);
    }

    /**
     * Suspends the calling coroutine until the plain {@link java.util.concurrent.Future} is done; see
     * {@link #wrapFuture(java.util.concurrent.Future)}.
     *
     * @param future the future
     * @param <T> its value type
     * @return its value
     */
    public static <T> T await(java.util.concurrent.Future<T> future) {
        Objects.requireNonNull(future, "future");
        Task<?> task = EventLoopEngine.requireCurrentTask("Asyncio.await()");
        return FutureBridge.wrap(task.loop, future).await();
    }

    // ------------------------------------------------------------------ introspection

    /**
     * Describes every pending task of the running loop with its state, what it awaits, which tasks
     * await it and its stack (asyncio 3.14's {@code format_call_graph} / {@code python -m asyncio ps});
     * see {@link EventLoop#dumpTasks()}. Print it, log it, or serve it from a diagnostics endpoint.
     *
     * @return a multi-line description
     * @throws IllegalStateException if there is no running loop on this thread
     */
    public static String dumpTasks() {
        return getRunningLoop().dumpTasks();
    }

    // ---- asyncio 3.14's call graph (asyncio.graph); see CallGraph ----

    /**
     * asyncio 3.14's {@code capture_call_graph()}: the call graph of the current task, its own frames
     * starting at the caller of this method.
     *
     * @return the graph; {@code null} in a loop callback, where no task runs (asyncio returns {@code None})
     * @throws IllegalStateException if no loop runs on this thread
     */
    public static FutureCallGraph captureCallGraph() {
        return CallGraph.capture(null, 1, null);
    }

    /**
     * asyncio 3.14's {@code capture_call_graph(future)}: {@code future}'s frames (a task's coroutine frames;
     * none for a plain future) and, recursively, the graphs of the futures that await it: tasks suspended in
     * {@code await} on it, the calling task of a {@code gather} or {@code shield} of it, the owner of the
     * {@link TaskGroup} it belongs to, a coroutine on another loop awaiting it through the Reactor bridge, and
     * edges recorded with {@link #futureAddToAwaitedBy}. Call it on {@code future}'s loop's turn for an
     * exact picture; elsewhere (another thread, another loop) it reads a snapshot that may be inconsistent.
     *
     * @param future the future or task to describe; {@code null} for the current task
     * @return the graph; {@code null} only if {@code future} is {@code null} and no task runs
     * @throws IllegalStateException if {@code future} is {@code null} and no loop runs on this thread
     */
    public static FutureCallGraph captureCallGraph(Future<?> future) {
        return CallGraph.capture(future, 1, null);
    }

    /**
     * asyncio 3.14's {@code capture_call_graph(future, depth=, limit=)}; see {@link #captureCallGraph(Future)}.
     * Frames are listed most recent first. The graph of a future that is already on the path being built is
     * not expanded again, so a cycle recorded with {@link #futureAddToAwaitedBy} cannot recurse forever.
     *
     * @param future the future or task to describe; {@code null} for the current task
     * @param depth for the current task: how many frames to skip, 1 to start at the caller of this method
     * @param limit {@code null} for every frame; {@code n > 0} keeps each node's n oldest frames,
     *     {@code n < 0} its -n most recent ones, {@code 0} none (as asyncio's {@code limit})
     * @return the graph; {@code null} only if {@code future} is {@code null} and no task runs
     * @throws IllegalArgumentException if {@code depth < 1}
     * @throws IllegalStateException if {@code future} is {@code null} and no loop runs on this thread
     */
    public static FutureCallGraph captureCallGraph(Future<?> future, int depth, Integer limit) {
        return CallGraph.capture(future, depth, limit);
    }

    /**
     * asyncio 3.14's {@code format_call_graph(future)}: {@link #captureCallGraph(Future)} as text, a block
     * per node ({@code * Task(name='…', id=0x…)} or {@code * Future(id=0x…)}, its {@code + Call stack:}
     * with one {@code at} line per frame, its {@code + Awaited by:} nodes indented by four spaces). The id
     * is the identity hash code, the JVM's stand-in for Python's {@code id()}.
     *
     * @param future the future or task to describe; {@code null} for the current task
     * @return the text; empty if {@code future} is {@code null} and no task runs
     * @throws IllegalStateException if {@code future} is {@code null} and no loop runs on this thread
     */
    public static String formatCallGraph(Future<?> future) {
        return CallGraph.format(CallGraph.capture(future, 1, null));
    }

    /**
     * asyncio 3.14's {@code format_call_graph(future, depth=, limit=)}; see {@link #formatCallGraph(Future)}
     * and {@link #captureCallGraph(Future, int, Integer)}.
     *
     * @param future the future or task to describe; {@code null} for the current task
     * @param depth for the current task: how many frames to skip, 1 to start at the caller of this method
     * @param limit {@code null} for every frame, else as in {@link #captureCallGraph(Future, int, Integer)}
     * @return the text; empty if {@code future} is {@code null} and no task runs
     * @throws IllegalArgumentException if {@code depth < 1}
     * @throws IllegalStateException if {@code future} is {@code null} and no loop runs on this thread
     */
    public static String formatCallGraph(Future<?> future, int depth, Integer limit) {
        return CallGraph.format(CallGraph.capture(future, depth, limit));
    }

    /**
     * asyncio 3.14's {@code print_call_graph(future, file=)}: prints {@link #formatCallGraph(Future)} and a
     * line break to {@code out} (asyncio's default file is standard output).
     *
     * @param future the future or task to describe; {@code null} for the current task
     * @param out where to print
     * @throws IllegalStateException if {@code future} is {@code null} and no loop runs on this thread
     */
    public static void printCallGraph(Future<?> future, java.io.PrintStream out) {
        CallGraph.print(CallGraph.capture(future, 1, null), Objects.requireNonNull(out, "out"));
    }

    /**
     * asyncio 3.14's {@code print_call_graph(future, file=, depth=, limit=)}; see
     * {@link #printCallGraph(Future, java.io.PrintStream)} and {@link #captureCallGraph(Future, int, Integer)}.
     *
     * @param future the future or task to describe; {@code null} for the current task
     * @param out where to print
     * @param depth for the current task: how many frames to skip, 1 to start at the caller of this method
     * @param limit {@code null} for every frame, else as in {@link #captureCallGraph(Future, int, Integer)}
     * @throws IllegalArgumentException if {@code depth < 1}
     * @throws IllegalStateException if {@code future} is {@code null} and no loop runs on this thread
     */
    public static void printCallGraph(Future<?> future, java.io.PrintStream out, int depth, Integer limit) {
        CallGraph.print(CallGraph.capture(future, depth, limit), Objects.requireNonNull(out, "out"));
    }

    /**
     * asyncio 3.14's {@code future_add_to_awaited_by(fut, waiter)}: records that {@code waiter} awaits
     * {@code future} by a path the library cannot see (a coroutine waiting through a construct of its own),
     * so that {@link #captureCallGraph(Future)} and {@code dev.asyncio.tools.Ps} show the edge. A set: adding
     * the same edge twice records it once. An {@code await} on a future, {@code gather}, {@link TaskGroup},
     * {@code shield} and the Reactor bridge's {@code await} record their edges themselves. Remove the edge
     * with {@link #futureDiscardFromAwaitedBy} when the wait ends: it keeps {@code waiter} reachable from
     * {@code future}. Any thread.
     *
     * @param future the awaited future
     * @param waiter the future (usually a task) that awaits it
     * @throws NullPointerException if an argument is {@code null}
     */
    public static void futureAddToAwaitedBy(Future<?> future, Future<?> waiter) {
        CallGraph.addAwaitedBy(future, waiter);
    }

    /**
     * asyncio 3.14's {@code future_discard_from_awaited_by(fut, waiter)}: removes an edge recorded with
     * {@link #futureAddToAwaitedBy}; nothing happens if there is none. Any thread.
     *
     * @param future the awaited future
     * @param waiter the future that awaited it
     * @throws NullPointerException if an argument is {@code null}
     */
    public static void futureDiscardFromAwaitedBy(Future<?> future, Future<?> waiter) {
        CallGraph.discardAwaitedBy(future, waiter);
    }
}
