package dev.asyncio.rxjava3;

import dev.asyncio.EventLoop;
import dev.asyncio.internal.LoopInternals;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.schedulers.TestScheduler;

/** Where a builder's coroutine runs, decided at each subscription. */
final class LoopChoice {
    private LoopChoice() {
    }

    /**
     * The explicit loop if given; else the loop whose turn the subscribing thread holds; else, when the
     * computation scheduler is a {@link TestScheduler}, the virtual-time loop over it; else the shared
     * default loop.
     */
    static EventLoop forSubscription(EventLoop explicit) {
        if (explicit != null) {
            return explicit;
        }
        EventLoop running = LoopInternals.runningLoopOrNull();
        if (running != null) {
            return running;
        }
        Scheduler computation = Schedulers.computation();
        if (computation instanceof TestScheduler test) {
            return VirtualTimeLoop.of(test);
        }
        return DefaultLoop.get();
    }
}
