package dev.asyncio.internal;

import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;

/**
 * What the project's other packages and modules (the streams, the Reactor, RxJava and Spring bridges,
 * the test kit) may do with an event loop and users may not: find the running loop without an exception,
 * shuffle the ready order for the test kit's order fuzzing, count awaited I/O as work in flight, read
 * whether a loop is waiting or how long it has been busy (to place work on a pool of loops). The
 * {@code dev.asyncio} package implements those that need its package-private parts ({@link Access}),
 * loaded here on first use, much as the JDK's {@code SharedSecrets}; this package is exported only to
 * the project's own modules.
 */
public final class LoopInternals {
    /** The {@code dev.asyncio} side: package-private parts reached through one narrow interface. */
    public interface Access {
        /**
         * @return the loop whose turn the calling thread holds, or {@code null}; any thread
         */
        EventLoop runningLoopOrNull();

        /**
         * @return the task whose step the calling thread runs, or {@code null} (a callback, or no loop)
         */
        Task<?> currentTaskOrNull();

        /**
         * @param loop the loop
         * @return whether the calling thread holds {@code loop}'s turn
         */
        boolean isOnTurn(EventLoop loop);

        /**
         * @param loop the loop
         * @param delta +1 when work begins, -1 when it ends
         */
        void externalWork(EventLoop loop, int delta);

        /**
         * @param loop the loop
         * @return the work in flight
         */
        int externalWorkInFlight(EventLoop loop);

        /**
         * @param loop the loop
         * @param random the source of the order, or {@code null} for FIFO
         */
        void setReadyOrderShuffle(EventLoop loop, Random random);

        /**
         * @param loop the loop the thread works for
         * @param name the thread's name
         * @param body what the thread does
         */
        void startHelper(EventLoop loop, String name, Runnable body);

        /**
         * @param loop the loop
         * @param action what ends with it
         * @return what unregisters the action
         */
        Runnable atClose(EventLoop loop, Runnable action);

        /**
         * @param future the future
         * @param callback what runs once it is done
         * @param <T> its result type
         */
        <T> void addDoneCallbackFromAnyThread(Future<T> future, Consumer<? super Future<T>> callback);

        /**
         * @param loop the loop whose iterations start stamping their start time
         */
        void trackActivity(EventLoop loop);

        /**
         * @param loop the loop
         * @param now {@link System#nanoTime()} of the caller
         * @return -1 while the loop waits for work, else how long its current iteration has run
         */
        long busyNanos(EventLoop loop, long now);

        /**
         * @param loop the loop
         * @return the task whose step holds its turn, or {@code null}; a racy read, any thread
         */
        Task<?> currentTaskOf(EventLoop loop);

        /**
         * @param loop the loop
         * @return the thread holding its turn, or {@code null}; any thread
         */
        Thread turnHolder(EventLoop loop);

        /**
         * @param loop the loop
         * @return how many callbacks and task steps are ready to run; on its turn
         */
        int readyCount(EventLoop loop);
    }

    /** The one implementation of {@link Access}: package-private in {@code dev.asyncio}, of this module. */
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
        return Granted.ACCESS.runningLoopOrNull();
    }

    /**
     * The task whose step the calling thread runs, without an exception for "none". Any thread.
     *
     * @return the current task of the loop whose turn this thread holds; {@code null} in a callback or
     *     when this thread holds no loop's turn
     */
    public static Task<?> currentTaskOrNull() {
        return Granted.ACCESS.currentTaskOrNull();
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
        Granted.ACCESS.setReadyOrderShuffle(loop, random);
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
        Granted.ACCESS.startHelper(Objects.requireNonNull(loop, "loop"), Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(body, "body"));
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
        return Granted.ACCESS.atClose(Objects.requireNonNull(loop, "loop"), Objects.requireNonNull(action, "action"));
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
        return Granted.ACCESS.isOnTurn(loop);
    }

    /**
     * Tells {@code loop} that work it will hear of through {@link EventLoop#callSoonThreadsafe} is in
     * flight (an executor job, a publisher's signal, I/O), so that an auto-jumping virtual clock does not
     * jump past it. Pair each call with {@link #endExternalWork}. Any thread.
     *
     * @param loop the loop
     */
    public static void beginExternalWork(EventLoop loop) {
        Granted.ACCESS.externalWork(loop, 1);
    }

    /**
     * Ends what {@link #beginExternalWork} began and wakes the loop. Any thread.
     *
     * @param loop the loop
     * @throws IllegalStateException without a matching {@link #beginExternalWork}
     */
    public static void endExternalWork(EventLoop loop) {
        Granted.ACCESS.externalWork(loop, -1);
    }

    /**
     * @param loop the loop
     * @return how many {@link #beginExternalWork} calls are not yet ended; any thread
     */
    public static int externalWorkInFlight(EventLoop loop) {
        return Granted.ACCESS.externalWorkInFlight(loop);
    }

    /**
     * Marks I/O awaited by a coroutine as work in flight for an auto-jumping virtual clock; with the
     * system clock it does nothing, so the hot path pays no wake-up for it. Pair with {@link #endIo}.
     *
     * @param loop the loop
     */
    public static void beginIo(EventLoop loop) {
        if (loop.getClock().isVirtual()) {
            beginExternalWork(loop);
        }
    }

    /**
     * Ends what {@link #beginIo} began.
     *
     * @param loop the loop
     */
    public static void endIo(EventLoop loop) {
        if (loop.getClock().isVirtual()) {
            endExternalWork(loop);
        }
    }

    /**
     * Makes {@code loop} stamp the start of each iteration with {@link System#nanoTime()}, for
     * {@link #busyNanos}; a loop that is not tracked pays nothing. Any thread, before or while the loop runs.
     *
     * @param loop the loop
     */
    public static void trackActivity(EventLoop loop) {
        Granted.ACCESS.trackActivity(Objects.requireNonNull(loop, "loop"));
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
        return Granted.ACCESS.busyNanos(loop, now);
    }

    /**
     * For a watcher on another thread (asyncio-spring's slow-step report): the task whose step holds
     * {@code loop}'s turn. A racy read of a field the loop writes without synchronisation: it may be stale
     * by a step, which a report about a step stuck for hundreds of milliseconds can afford. Any thread.
     *
     * @param loop the loop
     * @return the task, or {@code null} (a callback runs, or nothing)
     */
    public static Task<?> currentTaskOf(EventLoop loop) {
        return Granted.ACCESS.currentTaskOf(Objects.requireNonNull(loop, "loop"));
    }

    /**
     * The thread holding {@code loop}'s turn, e.g. to read the stack of a step that holds it too long. Any
     * thread.
     *
     * @param loop the loop
     * @return the thread, or {@code null} if nobody holds the turn
     */
    public static Thread turnHolder(EventLoop loop) {
        return Granted.ACCESS.turnHolder(Objects.requireNonNull(loop, "loop"));
    }

    /**
     * How many callbacks and task steps are queued ready to run (asyncio's {@code len(loop._ready)}), for a
     * meter of the loop's backlog. On the loop's turn.
     *
     * @param loop the loop
     * @return the ready queue's length
     */
    public static int readyCount(EventLoop loop) {
        return Granted.ACCESS.readyCount(Objects.requireNonNull(loop, "loop"));
    }

    /**
     * Loaded on first use: a constant the JIT can fold. The implementation is found by name rather than
     * handed over by {@code EventLoop}'s initializer, so that the API class does not call back into this
     * package (no {@code EventLoop ⇄ LoopInternals} cycle); it is in this module, where reflection needs
     * no {@code opens}.
     */
    private static final class Granted {
        static final Access ACCESS = load();

        private static Access load() {
            try {
                var constructor = Class.forName(ACCESS_CLASS, true, LoopInternals.class.getClassLoader())
                        .asSubclass(Access.class).getDeclaredConstructor();
                constructor.setAccessible(true);
                return constructor.newInstance();
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("cannot load " + ACCESS_CLASS + ", the core's side of LoopInternals", e);
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
        Granted.ACCESS.addDoneCallbackFromAnyThread(Objects.requireNonNull(future, "future"),
                Objects.requireNonNull(callback, "callback"));
    }
}
