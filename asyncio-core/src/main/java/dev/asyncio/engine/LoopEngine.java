package dev.asyncio.engine;

import java.util.Objects;
import java.util.Random;

/**
 * The engine side of one event loop: what the rest of the core (the streams, transports, flow, queues and
 * sync packages) and the bridge SPI need of a loop beyond its public methods: whether the calling thread
 * holds the loop's turn, the count of work in flight outside the loop, helper threads that live as long as
 * the loop, the activity a pool of loops reads, the test kit's ready-order shuffle.
 *
 * <p>The engine knows no API type: a loop is an {@link Object} here, and the {@code dev.asyncio} package
 * implements this class on its {@code EventLoop} and installs the {@link Directory} that maps a loop to its
 * engine. That keeps the dependencies one way, {@code dev.asyncio → dev.asyncio.engine}, and the package is
 * not exported, so no other module sees it (see docs/architecture.md, "Packages").
 */
public abstract class LoopEngine {
    /** How the {@code dev.asyncio} package maps its loops to their engines; installed once, by that package. */
    public interface Directory {
        /**
         * @param loop an event loop
         * @return its engine
         */
        LoopEngine engineOf(Object loop);
    }

    private static volatile Directory directory;

    /** For the implementation in {@code dev.asyncio} only. */
    protected LoopEngine() {
    }

    /**
     * Installs the directory; called once by the class that implements the engine on the event loop, in its
     * static initializer, so before any loop exists.
     *
     * @param installed the directory
     * @throws IllegalStateException if one is installed already
     */
    public static synchronized void install(Directory installed) {
        if (directory != null) {
            throw new IllegalStateException("the loop directory is installed already");
        }
        directory = Objects.requireNonNull(installed, "directory");
    }

    /**
     * @param loop an event loop
     * @return its engine; any thread
     */
    public static LoopEngine of(Object loop) {
        // A loop exists, so the class that installs the directory has been initialized.
        return directory.engineOf(Objects.requireNonNull(loop, "loop"));
    }

    /**
     * @return the engine of the loop whose turn the calling thread holds, or {@code null} on any other
     *     thread (also before any loop was created); any thread
     */
    public static LoopEngine running() {
        return LoopRegistry.running();
    }

    /** @return the event loop this engine runs, for messages and for the API packages; any thread */
    public abstract Object loop();

    /** @return whether the calling thread holds the loop's turn; any thread */
    public abstract boolean isOnTurn();

    /** @return whether a task's step runs on the turn now (else a callback, or nothing); on the turn */
    public abstract boolean runsTask();

    /** @return how many of the loop's tasks ended cancelled since it was created; any thread */
    public abstract long cancelledTasks();

    /** @return the thread holding the loop's turn, or {@code null} if nobody holds it; any thread */
    public abstract Thread turnHolder();

    /** @return how many callbacks and task steps are ready to run (asyncio's {@code len(_ready)}); on the turn */
    public abstract int readyCount();

    /** @return whether the loop's clock is virtual (it may jump when the loop idles); any thread */
    public abstract boolean hasVirtualClock();

    /**
     * Counts work the loop will hear of through a thread-safe callback (an executor job, a publisher's
     * signal, I/O), so that an auto-jumping virtual clock does not jump past it. Any thread.
     *
     * @param delta +1 when the work begins, -1 when it ends (which also wakes the loop)
     * @throws IllegalStateException for an end without a matching begin
     */
    public abstract void externalWork(int delta);

    /** @return how much counted work is in flight; any thread */
    public abstract int externalWorkInFlight();

    /**
     * Counts I/O awaited by a coroutine as work in flight, only when the clock is virtual (with the system
     * clock nothing waits on the count, so the hot path pays nothing). Pair with {@link #endIo()}.
     */
    public final void beginIo() {
        if (hasVirtualClock()) {
            externalWork(1);
        }
    }

    /** Ends what {@link #beginIo()} began. */
    public final void endIo() {
        if (hasVirtualClock()) {
            externalWork(-1);
        }
    }

    /**
     * Starts a virtual thread of the JDK's default scheduler that works for the loop as long as it lives;
     * closing the loop interrupts it and waits for it. Any thread.
     *
     * @param name the thread's name
     * @param body what it does; it must end soon after an interrupt
     */
    public abstract void startHelper(String name, Runnable body);

    /**
     * @param action what runs when the loop closes, before its helpers are interrupted; must not block
     * @return what unregisters it
     */
    public abstract Runnable atClose(Runnable action);

    /** Makes the loop stamp each iteration's start, for {@link #busyNanos}; any thread. */
    public abstract void trackActivity();

    /**
     * @param now {@link System#nanoTime()} of the caller
     * @return -1 while the loop waits for work, else how long its current iteration has run; any thread
     */
    public abstract long busyNanos(long now);

    /**
     * The test kit's order fuzzing: from the next iteration on, the ready callbacks and steps run in an
     * order drawn from {@code random}.
     *
     * @param random the source of the order, or {@code null} for FIFO
     * @throws IllegalStateException off the turn while the loop runs on another thread
     */
    public abstract void setReadyOrderShuffle(Random random);

    /** @return the loop's own description, so that messages naming an engine name the loop */
    @Override
    public final String toString() {
        return String.valueOf(loop());
    }
}
