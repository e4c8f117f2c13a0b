package dev.asyncio;

import dev.asyncio.engine.SleepTimer;
import dev.asyncio.engine.TimerHeap;
import java.util.Map;

/**
 * The timer heap of one {@link EventLoop} (see {@link TimerHeap}) over its {@link TimerHandle}s: the accessors
 * the heap reads, the making of a handle for {@link EventLoop#callAt}, and what a cancel does to a sleeping
 * {@link Task}. Touched only on the loop's turn.
 */
final class Timers extends TimerHeap<TimerHandle> {
    private final EventLoop loop;

    Timers(EventLoop loop) {
        this.loop = loop;
    }

    /** A timer running {@code callback} with {@code contextVars} at {@code whenNanos}, in the heap. */
    TimerHandle add(Runnable callback, Map<ContextVar<?>, Object> contextVars, long whenNanos) {
        TimerHandle h = new TimerHandle(loop, callback, contextVars, whenNanos, nextSequence());
        push(h);
        return h;
    }

    /**
     * {@link Task#cancel} while the task sleeps: like cancelling asyncio's sleep future, the task wakes in the
     * next iteration and sees {@code CancelledError(message)}.
     *
     * @return {@code false} if the timer already fired (too late, as cancelling a done future)
     */
    boolean interruptSleep(SleepTimer sleep, String message) {
        if (!interrupt(sleep, message)) {
            return false;
        }
        loop.engine.wake((Task<?>) sleep.task());
        return true;
    }

    /** After the task resumed: the error asyncio's {@code future.result()} would raise, or {@code null}. */
    static CancelledError interruption(SleepTimer sleep) {
        if (!sleep.isInterrupted()) {
            return null;
        }
        String message = sleep.interruptMessage();
        return message == null ? new CancelledError() : new CancelledError(message);
    }

    @Override
    protected long deadline(TimerHandle timer) {
        return timer.whenNanos;
    }

    @Override
    protected long sequence(TimerHandle timer) {
        return timer.sequence;
    }

    @Override
    protected boolean cancelled(TimerHandle timer) {
        return timer.cancelled;
    }

    @Override
    protected void setInHeap(TimerHandle timer, boolean inHeap) {
        timer.inHeap = inHeap;
    }
}
