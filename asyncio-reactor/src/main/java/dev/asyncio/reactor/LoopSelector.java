package dev.asyncio.reactor;

import dev.asyncio.EventLoop;
import dev.asyncio.internal.LoopInternals;
import java.util.function.Supplier;

/**
 * Which loop a {@code mono}/{@code flux} coroutine runs on, decided at each subscription: the loop given
 * explicitly; else the loop whose coroutine or callback subscribes; else, under
 * {@code StepVerifier.withVirtualTime}, a loop on the virtual-time scheduler; else
 * {@link #outsideAnyLoop()}.
 */
final class LoopSelector {
    private static final boolean REACTOR_TEST_PRESENT = isPresent("reactor.test.scheduler.VirtualTimeScheduler");
    /** Set by {@link ReactorCoroutines#setDefaultLoopSupplier}; {@code null}: the shared {@link DefaultLoop}. */
    static volatile Supplier<EventLoop> defaultLoopSupplier;

    private LoopSelector() {
    }

    static EventLoop forSubscription(EventLoop explicit) {
        if (explicit != null) {
            return explicit;
        }
        EventLoop running = LoopInternals.runningLoopOrNull();
        if (running != null) {
            return running;
        }
        if (REACTOR_TEST_PRESENT && VirtualTime.enabled()) {
            return VirtualTimeLoop.forCurrentScheduler();
        }
        return outsideAnyLoop();
    }

    /**
     * The loop for work that starts outside any loop: the installed default-loop supplier's choice if it
     * gives an open loop, else the shared {@link DefaultLoop}.
     */
    static EventLoop outsideAnyLoop() {
        Supplier<EventLoop> supplier = defaultLoopSupplier;
        if (supplier != null) {
            EventLoop chosen = supplier.get();
            if (chosen != null && !chosen.isClosed()) {
                return chosen;
            }
        }
        return DefaultLoop.get();
    }

    /** After a subscription from outside the loop: under virtual time, let the loop catch up first. */
    static void afterSubscribe(EventLoop loop) {
        if (REACTOR_TEST_PRESENT && !loop.isOnTurn()) {
            VirtualTimeLoop.awaitIdle(loop);
        }
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, LoopSelector.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Kept apart so that reactor-test classes are loaded only when reactor-test is present. */
    private static final class VirtualTime {
        static boolean enabled() {
            return reactor.test.scheduler.VirtualTimeScheduler.isFactoryEnabled();
        }
    }
}
