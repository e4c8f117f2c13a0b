package dev.asyncio;

import java.util.Map;

/**
 * asyncio's {@code TimerHandle}: a callback scheduled with {@link EventLoop#callLater} or
 * {@link EventLoop#callAt}, due at {@link #when()} on the loop's clock.
 *
 * <p>Cancel it from the loop's turn to have it dropped from the timer heap promptly (cancelled timers
 * are compacted out when they are the majority); a cancel from another thread is safe but leaves the
 * entry in the heap until it comes due.
 */
public class TimerHandle extends Handle {
    final long whenNanos;
    final long sequence;
    boolean inHeap;

    TimerHandle(EventLoop loop, Runnable callback, Map<ContextVar<?>, Object> contextVars, long whenNanos, long sequence) {
        super(loop, callback, contextVars);
        this.whenNanos = whenNanos;
        this.sequence = sequence;
    }

    /** @return the time the callback is due, in seconds on the loop's clock (as {@link EventLoop#time()}) */
    public double when() {
        return whenNanos / 1e9;
    }

    /** @return the time the callback is due, in nanoseconds on the loop's clock */
    public long whenNanos() {
        return whenNanos;
    }

    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            if (inHeap && loop.engine.isOnTurn()) {
                loop.engine.timers.timerCancelled();
            }
        }
    }

    @Override
    public String toString() {
        return "TimerHandle[when=" + when() + ", " + callback + (cancelled ? ", cancelled" : "") + "]";
    }
}
