package dev.asyncio.internal;

import dev.asyncio.EventLoop;
import java.util.concurrent.CountDownLatch;

/**
 * An event loop that runs forever on a daemon platform thread of its own: the loop of the bridges'
 * coroutines subscribed from threads that run no loop, and of their virtual-time loops. It is running
 * before the constructor returns, so work handed to it never waits for the thread to come up and
 * {@link EventLoop#isRunning()} already reads {@code true}.
 *
 * <p>A {@code stop()} from user code (or an interrupt of the private thread) ends one
 * {@code runForever()}; the loop then runs again. Only {@link #retire()} ends it for good. Thread-safe.
 */
public final class LoopThread {
    private static final int RETIRE_ROUNDS = 8;

    private final EventLoop loop;
    private final Thread thread;
    private volatile boolean retired;

    /**
     * Starts {@code loop} on a new daemon thread and waits until it runs.
     *
     * @param loop a new loop, not running
     * @param threadName the thread's name, which says which bridge it serves
     */
    public LoopThread(EventLoop loop, String threadName) {
        this.loop = loop;
        CountDownLatch running = new CountDownLatch(1);
        loop.callSoon(running::countDown);
        this.thread = Thread.ofPlatform().daemon().name(threadName).unstarted(this::runLoop);
        thread.start();
        boolean interrupted = false;
        while (running.getCount() > 0) {
            try {
                running.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the loop this thread runs */
    public EventLoop loop() {
        return loop;
    }

    private void runLoop() {
        // An interrupt of this private thread stops the loop too: drop it, or the next run would stop at once.
        while (!retired) {
            loop.runForever();
            Thread.interrupted();
        }
        // Retired: cancel what is left and let it unwind, a few iterations at most, then close.
        for (int round = 0; round < RETIRE_ROUNDS && !loop.allTasks().isEmpty(); round++) {
            loop.allTasks().forEach(t -> t.cancel("the bridge's loop was retired"));
            loop.stop();
            loop.runForever();
            Thread.interrupted();
        }
        loop.close();
    }

    /** Stops the loop for good, from any thread: its pending tasks are cancelled, then it is closed. */
    public void retire() {
        retired = true;
        try {
            loop.stop();
        } catch (IllegalStateException alreadyClosed) {
            // nothing to stop
        }
    }

    /** @return whether {@link #retire()} was called */
    public boolean isRetired() {
        return retired;
    }

    @Override
    public String toString() {
        return thread.getName() + " running " + loop;
    }
}
