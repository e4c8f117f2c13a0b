package dev.asyncio.rxjava3;

import dev.asyncio.internal.LoopChoice;

/**
 * Where the RxJava builders' coroutines run, per subscription: the loop given to the builder, else the
 * caller's loop, else the virtual-time loop over a {@code TestScheduler} computation scheduler, else the
 * default loop. Kept apart from the public facade {@link RxCoroutines} so that the builders read it here
 * instead of calling back into the facade. Thread-safe.
 */
final class RxLoops {
    /** The choice every builder's subscription makes. */
    static final LoopChoice CHOICE = new LoopChoice(VirtualTimeLoop::ofComputationSchedulerOrNull);

    private RxLoops() {
    }
}
