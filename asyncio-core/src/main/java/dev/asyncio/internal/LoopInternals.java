package dev.asyncio.internal;

import dev.asyncio.Clock;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.engine.ClockDriver;
import dev.asyncio.engine.Durations;
import dev.asyncio.engine.BlockingCallAdvice;
import dev.asyncio.engine.Exceptions;
import dev.asyncio.engine.LoopEngine;
import dev.asyncio.engine.SlowStepWatch;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the project's other packages and modules (the streams, the Reactor, RxJava and Spring bridges,
 * the test kit) may do with an event loop and users may not: find the running loop without an exception,
 * shuffle the ready order for the test kit's order fuzzing, count awaited I/O as work in flight, read
 * whether a loop is waiting or how long it has been busy (to place work on a pool of loops). The one
 * SPI between the core and its bridge modules: this package is exported only to the project's own
 * modules, and it reaches the engine ({@code dev.asyncio.engine}, which no other module reads) and, by
 * a private method-handle lookup, the two package-private parts of {@code dev.asyncio} it needs, so that
 * neither of those packages depends on this one (see docs/architecture.md, "Packages").
 */
public final class LoopInternals {
    /** Where the parts of {@code dev.asyncio} are that this class reaches by name. */
    private static final String ACCESS_CLASS = "dev.asyncio.LoopInternalsAccess";

    private LoopInternals() {
    }

    /**
     * The loop whose turn the calling thread holds: the loop running the current coroutine or callback,
     * or {@code null} on any other thread. Unlike {@code Asyncio.getRunningLoop()} it does not throw, so
     * bridges can pick "the current loop if any, else another one" cheaply. Any thread.
     *
     * @return the running loop of the calling thread, or {@code null}
     */
    public static EventLoop runningLoopOrNull() {
        LoopEngine running = LoopEngine.running();
        return running == null ? null : (EventLoop) running.loop();
    }

    /**
     * The task whose step the calling thread runs, without an exception for "none". Any thread.
     *
     * @return the current task of the loop whose turn this thread holds; {@code null} in a callback or
     *     when this thread holds no loop's turn
     */
    public static Task<?> currentTaskOrNull() {
        try {
            return (Task<?>) Granted.CURRENT_TASK.invokeExact();
        } catch (Throwable t) {
            throw Exceptions.sneaky(t);
        }
    }

    /**
     * The test kit's order fuzzing: from the next iteration on, {@code loop} runs the callbacks and task
     * steps ready at the start of an iteration in an order drawn from {@code random} instead of FIFO. This
     * deliberately breaks asyncio's promise that callbacks run in the order they were scheduled, to expose
     * code that depends on an order between independent activities that asyncio does not promise. What an
     * iteration schedules still runs in a later iteration, and timers still fire only when due. A seeded
     * {@link Random} makes a run reproducible.
     *
     * @param loop the loop
     * @param random the source of the order, or {@code null} to restore FIFO order
     * @throws IllegalStateException off the loop's turn while the loop runs on another thread
     */
    public static void setReadyOrderShuffle(EventLoop loop, Random random) {
        LoopEngine.of(loop).setReadyOrderShuffle(random);
    }

    /**
     * Starts a thread that works on {@code loop}'s behalf for as long as the loop lives, e.g. the host of
     * another loop that serves the same server ({@code ServerOptions.withLoops}). Closing {@code loop}
     * interrupts the thread and waits (up to 10 s) for it to end, so {@code body} must end soon after its
     * thread is interrupted; it reports back with {@link EventLoop#callSoonThreadsafe}. The thread is a
     * virtual thread of the JDK's default scheduler, never one of the loop's carriers. Any thread.
     *
     * @param loop the loop the thread works for
     * @param name the thread's name, for dumps
     * @param body what the thread does
     */
    public static void startHelper(EventLoop loop, String name, Runnable body) {
        LoopEngine.of(loop).startHelper(Objects.requireNonNull(name, "name"), Objects.requireNonNull(body, "body"));
    }

    /**
     * Registers {@code action} to run when {@code loop} closes, on the closing thread, before the loop's
     * helper threads ({@link #startHelper}) are interrupted and joined: what those threads wait on that an
     * interrupt cannot end (a pipe read, a child process) ends here. It must not block. Any thread.
     *
     * @param loop the loop
     * @param action what ends with the loop
     * @return what unregisters the action, for an owner that ended on its own first (else the loop keeps it)
     */
    public static Runnable atClose(EventLoop loop, Runnable action) {
        return LoopEngine.of(loop).atClose(Objects.requireNonNull(action, "action"));
    }

    /**
     * Whether the calling thread holds {@code loop}'s turn (runs one of its coroutines or callbacks), so
     * that loop methods may be called directly; elsewhere a bridge goes through
     * {@link EventLoop#callSoonThreadsafe}. Lets a bridge deliver a signal that arrives on the loop's own
     * turn without a hop. Any thread.
     *
     * @param loop the loop
     * @return whether the calling thread holds its turn
     */
    public static boolean isOnTurn(EventLoop loop) {
        return LoopEngine.of(loop).isOnTurn();
    }

    /**
     * Tells {@code loop} that work it will hear of through {@link EventLoop#callSoonThreadsafe} is in
     * flight (an executor job, a publisher's signal, I/O), so that an auto-jumping virtual clock does not
     * jump past it. Pair each call with {@link #endExternalWork}. Any thread.
     *
     * @param loop the loop
     */
    public static void beginExternalWork(EventLoop loop) {
        LoopEngine.of(loop).externalWork(1);
    }

    /**
     * Ends what {@link #beginExternalWork} began and wakes the loop. Any thread.
     *
     * @param loop the loop
     * @throws IllegalStateException without a matching {@link #beginExternalWork}
     */
    public static void endExternalWork(EventLoop loop) {
        LoopEngine.of(loop).externalWork(-1);
    }

    /**
     * @param loop the loop
     * @return how many {@link #beginExternalWork} calls are not yet ended; any thread
     */
    public static int externalWorkInFlight(EventLoop loop) {
        return LoopEngine.of(loop).externalWorkInFlight();
    }

    /**
     * Marks I/O awaited by a coroutine as work in flight for an auto-jumping virtual clock; with the
     * system clock it does nothing, so the hot path pays no wake-up for it. Pair with {@link #endIo}.
     *
     * @param loop the loop
     */
    public static void beginIo(EventLoop loop) {
        LoopEngine.of(loop).beginIo();
    }

    /**
     * Ends what {@link #beginIo} began.
     *
     * @param loop the loop
     */
    public static void endIo(EventLoop loop) {
        LoopEngine.of(loop).endIo();
    }

    /**
     * Makes {@code loop} stamp the start of each iteration with {@link System#nanoTime()}, for
     * {@link #busyNanos}; a loop that is not tracked pays nothing. Any thread, before or while the loop runs.
     *
     * @param loop the loop
     */
    public static void trackActivity(EventLoop loop) {
        LoopEngine.of(loop).trackActivity();
    }

    /**
     * What a pool of loops reads to place a new task: whether {@code loop} is waiting for work, else how long
     * its current iteration has run (a loop blocked by a step, or overloaded, shows a long one). A snapshot,
     * stale as soon as it is read; any thread.
     *
     * @param loop a loop passed to {@link #trackActivity} (else the figure is meaningless)
     * @param now {@link System#nanoTime()} of the caller, read once for several loops
     * @return -1 while the loop waits for work (parked or selecting), else nanoseconds since its current
     *     iteration began
     */
    public static long busyNanos(EventLoop loop, long now) {
        return LoopEngine.of(loop).busyNanos(now);
    }

    /**
     * Found on first use: constants the JIT can fold. By name rather than handed over by the API package,
     * so that {@code dev.asyncio} does not depend on this package; it is in this module, where a private
     * lookup needs no {@code opens}.
     */
    /**
     * For a watcher on another thread (asyncio-spring's slow-step report): the task whose step holds
     * {@code loop}'s turn. A racy read of a field the loop writes without synchronisation: it may be stale
     * by a step, which a report about a step stuck for hundreds of milliseconds can afford. Any thread.
     *
     * @param loop the loop
     * @return the task, or {@code null} (a callback runs, or nothing)
     */
    public static Task<?> currentTaskOf(EventLoop loop) {
        Objects.requireNonNull(loop, "loop");
        try {
            return (Task<?>) Granted.CURRENT_TASK_OF.invokeExact(loop);
        } catch (Throwable t) {
            throw Exceptions.sneaky(t);
        }
    }

    /**
     * Watches {@code loops} for slow steps from the core's one watchdog thread, always (not only in debug
     * mode), as asyncio-spring's pool does: a few times per threshold each loop's current iteration and
     * turn holder are sampled (the loops' activity stamps are turned on, {@link #trackActivity}); a step that
     * holds its loop past {@code threshold} goes to {@code listener} once (see {@link SlowStep}), and at most
     * one per {@code reportInterval}, for all the loops together, is marked reported and carries its stack.
     * The listener runs on the watchdog's thread and must be quick; an exception it throws is logged and
     * dropped. Any thread.
     *
     * @param loops the loops to watch
     * @param threshold how long a step may hold its loop before it is passed on
     * @param reportInterval at most one reported step per this interval
     * @param listener receives the slow steps
     * @return stops the watch (any thread); the listener may still be running its last call
     * @throws IllegalArgumentException if {@code threshold} is not positive or {@code reportInterval} is negative
     */
    public static Runnable watchSlowSteps(List<EventLoop> loops, Duration threshold, Duration reportInterval,
            Consumer<? super SlowStep> listener) {
        Objects.requireNonNull(listener, "listener");
        SlowStepWatch watch = new SlowStepWatch(List.copyOf(loops), loop -> currentTaskOf((EventLoop) loop),
                threshold, reportInterval, (loop, task, heldNanos, stack, reported, unreported) -> listener.accept(
                        new SlowStep((EventLoop) loop, (Task<?>) task, Duration.ofNanos(heldNanos), stack, reported, unreported)));
        return watch::close;
    }

    /**
     * How many of {@code loop}'s tasks ended cancelled since it was created (every task: those of
     * {@code mono}/{@code flux} builders, a disconnected client's, a timeout's), for a meter. Any thread.
     *
     * @param loop the loop
     * @return the count
     */
    public static long cancelledTasks(EventLoop loop) {
        return LoopEngine.of(Objects.requireNonNull(loop, "loop")).cancelledTasks();
    }

    /**
     * The thread holding {@code loop}'s turn, e.g. to read the stack of a step that holds it too long. Any
     * thread.
     *
     * @param loop the loop
     * @return the thread, or {@code null} if nobody holds the turn
     */
    public static Thread turnHolder(EventLoop loop) {
        return LoopEngine.of(Objects.requireNonNull(loop, "loop")).turnHolder();
    }

    /**
     * How many callbacks and task steps are queued ready to run (asyncio's {@code len(loop._ready)}), for a
     * meter of the loop's backlog. On the loop's turn.
     *
     * @param loop the loop
     * @return the ready queue's length
     */
    public static int readyCount(EventLoop loop) {
        return LoopEngine.of(Objects.requireNonNull(loop, "loop")).readyCount();
    }

    /**
     * The non-blocking form of the blocking call at the top of {@code stack} (README's table "a coroutine
     * never blocks"): {@code Thread.sleep} is {@code Asyncio.sleep}, {@code HttpClient.send} is
     * {@code sendAsync} awaited, other blocking I/O goes to {@code Asyncio.toThread}. Any thread.
     *
     * @param stack the stack of a step that holds its loop, innermost frame first
     * @return a sentence saying what to write instead
     */
    public static String blockingCallAdvice(java.util.List<StackTraceElement> stack) {
        return BlockingCallAdvice.of(stack);
    }

    private static final class Granted {
        static final MethodHandle CURRENT_TASK_OF = find("currentTaskOf", MethodType.methodType(Task.class, EventLoop.class));
        static final MethodHandle CURRENT_TASK = find("currentTaskOrNull", MethodType.methodType(Task.class));
        static final MethodHandle ADD_DONE_CALLBACK = find("addDoneCallbackFromAnyThread",
                MethodType.methodType(void.class, Future.class, Consumer.class));

        private static MethodHandle find(String name, MethodType type) {
            try {
                Class<?> access = Class.forName(ACCESS_CLASS, true, LoopInternals.class.getClassLoader());
                return MethodHandles.privateLookupIn(access, MethodHandles.lookup()).findStatic(access, name, type);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("cannot find " + ACCESS_CLASS + "." + name + ", the core's side of LoopInternals", e);
            }
        }
    }

    /**
     * Runs {@code callback} with {@code future} once it is done, on the future's loop, registered from any
     * thread without a round trip through the loop while the future is pending (the completion takes it);
     * once done, through {@code callSoonThreadsafe}, or on the calling thread if the loop is closed.
     * Exactly once. For bridges that subscribe to a future from a foreign thread.
     *
     * @param future the future
     * @param callback receives the future
     * @param <T> its result type
     */
    public static <T> void addDoneCallbackFromAnyThread(Future<T> future, Consumer<? super Future<T>> callback) {
        Objects.requireNonNull(future, "future");
        Objects.requireNonNull(callback, "callback");
        try {
            Granted.ADD_DONE_CALLBACK.invokeExact((Future<?>) future, (Consumer<?>) callback);
        } catch (Throwable t) {
            throw Exceptions.sneaky(t);
        }
    }

    /**
     * Throws {@code t} unchanged, even a checked exception, as asyncio re-raises a stored exception; the
     * core's one copy of the trick, for the test kit. Write {@code throw sneakyThrow(t)}.
     *
     * @param t the exception to throw
     * @return never returns
     */
    public static RuntimeException sneakyThrow(Throwable t) {
        throw Exceptions.sneaky(t);
    }

    /**
     * Nanoseconds in {@code d}, saturated at {@code Long.MAX_VALUE} / {@code MIN_VALUE} (the core's
     * conversion, for the test kit's virtual time).
     *
     * @param d the duration
     * @return its nanoseconds, saturated
     */
    public static long toNanosSaturated(Duration d) {
        return Durations.toNanosSaturated(d);
    }

    /**
     * {@code a + b} saturated, for deadlines far in the future (the core's arithmetic, for the test kit).
     *
     * @param a a time or duration in nanoseconds
     * @param b another
     * @return the sum, saturated
     */
    public static long saturatedAdd(long a, long b) {
        return Durations.saturatedAdd(a, b);
    }

    /**
     * Registers how a loop drives the clocks of {@code clockClass}, a virtual clock of the project's own
     * modules: what was {@code Clock.jumpTo}/{@code wakeAt} before those left the public interface. Call it
     * from the clock class's static initializer, so before any of its clocks reaches a loop; a loop looks
     * its clock's driver up once, when it is created. Any thread.
     *
     * @param clockClass the clock class (its subclasses share the driver unless they register their own)
     * @param driverOf the driver of one clock; it must not hold a clock the class did not give it
     * @param <C> the clock type
     */
    public static <C extends Clock> void registerVirtualTime(Class<C> clockClass,
            Function<? super C, ? extends VirtualTimeDriver> driverOf) {
        Objects.requireNonNull(driverOf, "driverOf");
        ClockDriver.register(clockClass, clock -> {
            VirtualTimeDriver driver = driverOf.apply(clock);
            return ClockDriver.calling(driver::jumpTo, (wakeup, deadline) -> driver.wakeAt(deadline, wakeup));
        });
    }
}
