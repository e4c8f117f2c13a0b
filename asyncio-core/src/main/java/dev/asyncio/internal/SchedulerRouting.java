package dev.asyncio.internal;

import dev.asyncio.EventLoop;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The bookkeeping of a {@link OneClockBridge}: which loops are attached, each with the library's
 * scheduler over it, and the library's global hooks installed while at least one is attached
 * (reference counted). The bridge gives the way to make its library's scheduler over a loop and says
 * how to install and remove its hooks, which route through {@link #schedulerOfCurrentThread()}.
 *
 * @param <S> the library's scheduler type
 */
public abstract class SchedulerRouting<S> implements OneClockBridge {
    private final Map<EventLoop, S> driven = new ConcurrentHashMap<>();
    private final Function<EventLoop, S> schedulerOver;
    private int attached;

    /**
     * For subclasses, which the {@link java.util.ServiceLoader} instantiates.
     *
     * @param schedulerOver makes the library's scheduler whose work runs on a loop's turn and whose
     *     time is the loop's clock
     */
    protected SchedulerRouting(Function<EventLoop, S> schedulerOver) {
        this.schedulerOver = schedulerOver;
    }

    /**
     * Installs the library's hooks, which ask {@link #schedulerOfCurrentThread()} first.
     *
     * @throws IllegalStateException if the library refuses them
     */
    protected abstract void installHooks();

    /** Restores the hooks that {@link #installHooks()} replaced. */
    protected abstract void removeHooks();

    @Override
    public final synchronized void attach(EventLoop loop) {
        if (driven.containsKey(loop)) {
            return;
        }
        if (attached == 0) {
            installHooks();
        }
        attached++;
        driven.put(loop, schedulerOver.apply(loop));
    }

    @Override
    public final synchronized void detach(EventLoop loop) {
        if (driven.remove(loop) != null && --attached == 0) {
            removeHooks();
        }
    }

    /**
     * For the hooks: a scheduler call made on the turn of an attached loop goes to that loop.
     *
     * @return the scheduler over the attached loop whose turn the calling thread holds, or {@code null}
     */
    protected final S schedulerOfCurrentThread() {
        if (driven.isEmpty()) {
            return null;
        }
        EventLoop loop = LoopInternals.runningLoopOrNull();
        return loop == null ? null : driven.get(loop);
    }
}
