package dev.asyncio.rxjava3;

import dev.asyncio.EventLoop;
import dev.asyncio.internal.VirtualTimeLoopSlot;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.schedulers.TestScheduler;

/**
 * RxJava's side of virtual time: when {@code RxJavaPlugins.setComputationSchedulerHandler} made a
 * {@link TestScheduler} the computation scheduler, builders subscribed outside any loop run on a loop
 * whose clock is a {@link SchedulerClock} over it, so that coroutine sleeps follow the test's virtual
 * time. One at a time ({@link VirtualTimeLoopSlot}): the next test's {@code TestScheduler} gets a fresh
 * loop, and the previous one is retired.
 */
final class VirtualTimeLoop {
    private static final VirtualTimeLoopSlot SLOT = new VirtualTimeLoopSlot("asyncio-rxjava-virtual-time");

    private VirtualTimeLoop() {
    }

    /** @return the loop over the computation scheduler if it is a {@link TestScheduler}, else {@code null} */
    static EventLoop ofComputationSchedulerOrNull() {
        Scheduler computation = Schedulers.computation();
        return computation instanceof TestScheduler test ? SLOT.loopFor(test, () -> new SchedulerClock(test), c -> ((SchedulerClock) c).lockstep) : null;
    }
}
