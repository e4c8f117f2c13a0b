package dev.asyncio.rxjava3;

import dev.asyncio.EventLoop;
import java.util.concurrent.CountDownLatch;

/**
 * A loop that runs forever on a daemon platform thread of its own, for RxJava subscribers that are not
 * on any loop. It is started before it is handed out: work submitted to it never waits for the thread
 * to come up, and {@link EventLoop#isRunning()} is already {@code true}.
 */
final class LoopThread {
    final EventLoop loop;
    private final Thread thread;
    private volatile boolean retired;

    LoopThread(EventLoop loop, String threadName) {
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

    private void runLoop() {
        // A stop() from user code ends one runForever(); only retire() ends the thread. So does an
        // interrupt of this private thread (it stops the loop): drop it, or the next run would stop at once.
        while (!retired) {
            loop.runForever();
            Thread.interrupted();
        }
        // Retired: cancel what is left and let it unwind, a few iterations at most, then close.
        for (int round = 0; round < 8 && !loop.allTasks().isEmpty(); round++) {
            loop.allTasks().forEach(t -> t.cancel("the loop behind RxCoroutines was retired"));
            loop.stop();
            loop.runForever();
            Thread.interrupted();
        }
        loop.close();
    }

    /** Stops the loop for good from any thread; its pending tasks are cancelled, then it is closed. */
    void retire() {
        retired = true;
        try {
            loop.stop();
        } catch (IllegalStateException alreadyClosed) {
            // nothing to stop
        }
    }

    boolean isRetired() {
        return retired;
    }

    @Override
    public String toString() {
        return thread.getName() + " running " + loop;
    }
}
