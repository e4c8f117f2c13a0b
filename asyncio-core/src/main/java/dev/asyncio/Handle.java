package dev.asyncio;

import java.util.Map;

/**
 * asyncio's {@code Handle}: a callback scheduled with {@link EventLoop#callSoon}; {@link #cancel()}
 * keeps it from running if it has not run yet.
 *
 * <p>{@link #cancel()} may be called from any thread; a cancel that races with the callback's start
 * may come too late, exactly as in asyncio.
 */
public class Handle {
    final EventLoop loop;
    final Runnable callback;
    final Map<ContextVar<?>, Object> contextVars;
    /** The context given explicitly at scheduling, run in as is (its changes stay), or {@code null}. */
    final Context context;
    volatile boolean cancelled;

    Handle(EventLoop loop, Runnable callback, Map<ContextVar<?>, Object> contextVars) {
        this.loop = loop;
        this.callback = callback;
        this.contextVars = contextVars;
        this.context = null;
    }

    /** Runs in {@code context} as is (its changes stay there); {@code null}: in a copy of the current one. */
    Handle(EventLoop loop, Runnable callback, Context context) {
        this.loop = loop;
        this.callback = callback;
        this.contextVars = context != null ? context.vars : loop.engine.currentVars();
        this.context = context;
    }

    /** On the loop: runs the callback. A future's done callback overrides it to call its consumer directly. */
    void runCallback() {
        callback.run();
    }

    /** @return what {@link #toString()} shows as the callback */
    Object describedCallback() {
        return callback;
    }

    /** Keeps the callback from running; does nothing if it already ran or was cancelled. */
    public void cancel() {
        cancelled = true;
    }

    /** @return whether {@link #cancel()} was called */
    public boolean isCancelled() {
        return cancelled;
    }

    /** @return the loop this handle belongs to */
    public EventLoop loop() {
        return loop;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + describedCallback() + (cancelled ? ", cancelled" : "") + "]";
    }
}
