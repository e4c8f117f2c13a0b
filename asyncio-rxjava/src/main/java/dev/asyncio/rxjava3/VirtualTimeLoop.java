package dev.asyncio.rxjava3;

import dev.asyncio.EventLoop;
import io.reactivex.rxjava3.schedulers.TestScheduler;

/**
 * The loop on a {@link SchedulerClock} over the {@code TestScheduler} that
 * {@code RxJavaPlugins.setComputationSchedulerHandler} installed, so that coroutine sleeps follow the
 * test's virtual time. One at a time: when the computation scheduler becomes another
 * {@code TestScheduler} (the next test), the previous loop is retired — its pending tasks are cancelled
 * and it is closed — and a new one starts.
 */
final class VirtualTimeLoop {
    private static LoopThread current;
    private static TestScheduler currentScheduler;

    private VirtualTimeLoop() {
    }

    static synchronized EventLoop of(TestScheduler scheduler) {
        if (current != null && currentScheduler == scheduler && !current.isRetired()) {
            return current.loop;
        }
        if (current != null) {
            current.retire();
        }
        SchedulerClock clock = new SchedulerClock(scheduler);
        EventLoop loop = new EventLoop(clock);
        clock.attach(loop);
        current = new LoopThread(loop, "asyncio-rxjava-virtual-time");
        currentScheduler = scheduler;
        return loop;
    }
}
