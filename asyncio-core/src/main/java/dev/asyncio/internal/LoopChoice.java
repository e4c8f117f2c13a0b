package dev.asyncio.internal;

import dev.asyncio.EventLoop;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Which loop a bridge's coroutine runs on, decided at each subscription: the loop given explicitly;
 * else the loop whose turn the subscribing thread holds; else the virtual-time loop of the library's
 * test scheduler, if one is installed; else {@link #outsideAnyLoop()}. One instance per bridge, since
 * each has its own test scheduler and its own default-loop supplier. Thread-safe.
 */
public final class LoopChoice {
    private final Supplier<EventLoop> virtualTimeLoop;
    private volatile Supplier<EventLoop> defaultLoopSupplier;

    /**
     * @param virtualTimeLoop the loop over the library's test scheduler when one is installed, else
     *     {@code null}; called at each subscription from outside any loop, on the subscribing thread
     */
    public LoopChoice(Supplier<EventLoop> virtualTimeLoop) {
        this.virtualTimeLoop = Objects.requireNonNull(virtualTimeLoop, "virtualTimeLoop");
    }

    /**
     * @param explicit the loop the user gave, or {@code null}
     * @return the loop for a new subscription, never {@code null}
     */
    public EventLoop forSubscription(EventLoop explicit) {
        if (explicit != null) {
            return explicit;
        }
        EventLoop running = LoopInternals.runningLoopOrNull();
        if (running != null) {
            return running;
        }
        EventLoop virtual = virtualTimeLoop.get();
        return virtual != null ? virtual : outsideAnyLoop();
    }

    /**
     * @return the loop for work that starts outside any loop and outside virtual time: the installed
     *     supplier's choice if it gives an open loop, else the {@link DefaultBridgeLoop}
     */
    public EventLoop outsideAnyLoop() {
        Supplier<EventLoop> supplier = defaultLoopSupplier;
        if (supplier != null) {
            EventLoop chosen = supplier.get();
            if (chosen != null && !chosen.isClosed()) {
                return chosen;
            }
        }
        return DefaultBridgeLoop.get();
    }

    /**
     * @param supplier the choice of loop outside any loop, or {@code null} for the shared default loop
     * @return the supplier installed before, or {@code null}
     */
    public Supplier<EventLoop> setDefaultLoopSupplier(Supplier<EventLoop> supplier) {
        Supplier<EventLoop> previous = defaultLoopSupplier;
        defaultLoopSupplier = supplier;
        return previous;
    }
}
