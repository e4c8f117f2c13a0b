package dev.asyncio.reactor;

import dev.asyncio.internal.LoopInternals;
import dev.asyncio.EventLoop;
import dev.asyncio.internal.ExternalSchedulerClock;
import dev.asyncio.internal.VirtualTimeLoopSlot;
import java.util.concurrent.TimeUnit;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Reactor's side of virtual time: under {@code StepVerifier.withVirtualTime}, {@code mono}/{@code flux}
 * coroutines subscribed outside any loop run on a loop whose clock is the installed
 * {@link VirtualTimeScheduler}, so that a coroutine's {@code sleep} follows {@code thenAwait}. The
 * lockstep between the test thread and the loop is the shared {@link ExternalSchedulerClock}'s; one
 * such loop exists at a time ({@link VirtualTimeLoopSlot}). reactor-test is optional: its classes are
 * touched only once it is known to be present.
 */
final class VirtualTimeLoop {
    private static final boolean REACTOR_TEST_PRESENT = isPresent("reactor.test.scheduler.VirtualTimeScheduler");
    private static final VirtualTimeLoopSlot SLOT = new VirtualTimeLoopSlot("asyncio-reactor-virtual-time-loop");

    private VirtualTimeLoop() {
    }

    /** @return the loop over the scheduler {@code withVirtualTime} installed, or {@code null} outside virtual time */
    static EventLoop ofInstalledSchedulerOrNull() {
        return REACTOR_TEST_PRESENT ? Installed.loopOrNull() : null;
    }

    /**
     * After a subscription from outside {@code loop}: on a virtual-time loop, waits until the loop has
     * caught up and is idle, so that a {@code thenAwait} that follows finds the coroutine's timers.
     */
    static void afterSubscribe(EventLoop loop) {
        if (loop.getClock() instanceof ExternalSchedulerClock clock && !LoopInternals.isOnTurn(loop)) {
            try {
                clock.submit(loop, () -> {
                });
            } catch (IllegalStateException closed) {
                // retired by the next test meanwhile: nothing to wait for
            }
        }
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, VirtualTimeLoop.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Kept apart so that reactor-test classes are loaded only when reactor-test is present. */
    private static final class Installed {
        static EventLoop loopOrNull() {
            if (!VirtualTimeScheduler.isFactoryEnabled()) {
                return null;
            }
            VirtualTimeScheduler scheduler = VirtualTimeScheduler.get();
            return SLOT.loopFor(scheduler, () -> new ExternalSchedulerClock(scheduler, () -> scheduler.now(TimeUnit.NANOSECONDS),
                    (wakeup, delayNanos) -> scheduler.schedule(wakeup, delayNanos, TimeUnit.NANOSECONDS)));
        }
    }
}
