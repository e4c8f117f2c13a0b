package dev.asyncio.internal;

import dev.asyncio.Clock;
import dev.asyncio.EventLoop;
import java.util.function.Supplier;

/**
 * A bridge's loop over the test scheduler its library has installed (Reactor's
 * {@code StepVerifier.withVirtualTime}, RxJava's {@code TestScheduler} as computation scheduler): one at
 * a time, on a {@link LoopThread}, with an {@link ExternalSchedulerClock} over that scheduler. When the
 * library's test scheduler becomes another one (the next test), the previous loop is retired (its
 * pending tasks cancelled, then closed) and a new one starts. Thread-safe.
 */
public final class VirtualTimeLoopSlot {
    private final String threadName;
    private Object scheduler;
    private LoopThread current;

    /** @param threadName the name of each loop's thread */
    public VirtualTimeLoopSlot(String threadName) {
        this.threadName = threadName;
    }

    /**
     * @param testScheduler the test scheduler installed now
     * @param newClock makes a clock over {@code testScheduler}, called when a new loop is needed
     * @return the running loop whose clock reads {@code testScheduler}
     */
    public synchronized EventLoop loopFor(Object testScheduler, Supplier<? extends ExternalSchedulerClock> newClock) {
        return loopFor(testScheduler, newClock, c -> (ExternalSchedulerClock) c);
    }

    /**
     * As {@link #loopFor(Object, Supplier)} for a clock that keeps its lockstep in a part of its own.
     *
     * @param testScheduler the test scheduler installed now
     * @param newClock makes a clock over {@code testScheduler}, called when a new loop is needed
     * @param lockstep the lockstep part of such a clock
     * @param <C> the clock type
     * @return the running loop whose clock reads {@code testScheduler}
     */
    public synchronized <C extends Clock> EventLoop loopFor(Object testScheduler, Supplier<? extends C> newClock,
            java.util.function.Function<? super C, ExternalSchedulerClock> lockstep) {
        if (current != null && scheduler == testScheduler && !current.isRetired()) {
            return current.loop();
        }
        if (current != null) {
            current.retire();
        }
        C clock = newClock.get();
        EventLoop loop = new EventLoop(clock);
        lockstep.apply(clock).attach(loop);
        current = new LoopThread(loop, threadName);
        scheduler = testScheduler;
        return loop;
    }
}
