package dev.asyncio.rxjava3;

import dev.asyncio.internal.LoopInternals;
import dev.asyncio.EventLoop;
import dev.asyncio.internal.ExternalSchedulerClock;

/**
 * How this module hands work to a loop from whatever thread an RxJava signal arrives on: directly when
 * the caller already holds the loop's turn (a source that signals synchronously inside a coroutine
 * pays nothing), else through {@link EventLoop#callSoonThreadsafe}. A loop driven by a
 * {@link SchedulerClock} is reached synchronously instead: the caller waits until the loop has run the
 * work and gone idle again, which is what makes a {@code TestScheduler} test deterministic.
 */
final class LoopDispatch {
    private LoopDispatch() {
    }

    /**
     * Runs {@code work} on {@code loop}'s turn: now if this thread holds it, else soon.
     *
     * @throws IllegalStateException if the loop is closed (and the work could not be scheduled)
     */
    static void run(EventLoop loop, Runnable work) {
        if (LoopInternals.isOnTurn(loop)) {
            work.run();
        } else if (SchedulerClock.lockstepOf(loop) instanceof ExternalSchedulerClock clock) {
            clock.submit(loop, work);
        } else {
            loop.callSoonThreadsafe(work);
        }
    }

    /** As {@link #run}, but a closed loop drops the work: for cleanup that has nothing left to clean. */
    static void runIfOpen(EventLoop loop, Runnable work) {
        try {
            run(loop, work);
        } catch (IllegalStateException closed) {
            if (!loop.isClosed()) {
                throw closed;
            }
        }
    }
}
