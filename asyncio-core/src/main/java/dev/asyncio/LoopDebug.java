package dev.asyncio;

import dev.asyncio.engine.StepInFlight;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Debug mode of one {@link EventLoop} (asyncio's {@code set_debug}): the switch, the slow-callback
 * threshold and listener, the measurement of each step or callback (a <em>slice</em> of the turn),
 * the record of the one in flight that the {@link Watchdog} samples, and the report of loop methods
 * called from a foreign thread. Kept apart so that the loop's dispatch pays one volatile read when
 * debug mode is off, and everything it measures when on is in one place.
 *
 * <p>{@link #enabled}, the threshold, the listener and {@link #inFlight} are read from any thread (the
 * watchdog's among them); the slice fields are touched only on the loop's turn.
 */
final class LoopDebug {
    private static final Logger LOG = System.getLogger("dev.asyncio");

    private final EventLoop loop;
    volatile boolean enabled = Boolean.getBoolean("dev.asyncio.debug");
    private volatile Duration slowCallbackDuration = Duration.ofMillis(100);
    private volatile Consumer<? super SlowCallback> slowCallbackListener;
    /** The step or callback holding the turn, published for the debug {@link Watchdog}; debug mode only. */
    volatile StepInFlight inFlight;
    private long sliceStart;
    private Object sliceOwner;

    LoopDebug(EventLoop loop) {
        this.loop = loop;
    }

    Duration slowCallbackDuration() {
        return slowCallbackDuration;
    }

    void setSlowCallbackDuration(Duration duration) {
        this.slowCallbackDuration = duration;
    }

    Consumer<? super SlowCallback> slowCallbackListener() {
        return slowCallbackListener;
    }

    void setSlowCallbackListener(Consumer<? super SlowCallback> listener) {
        this.slowCallbackListener = listener;
    }

    /** On the turn: a task's step begins; measured until the next {@link #endSlice()}. */
    void startSlice(Object owner) {
        sliceOwner = owner;
        sliceStart = System.nanoTime();
        inFlight = new StepInFlight(owner, sliceStart);
    }

    /** On the turn: the step begun by {@link #startSlice} (if any) ended; reported if it was slow. */
    void endSlice() {
        Object owner = sliceOwner;
        inFlight = null;
        if (owner != null) {
            sliceOwner = null;
            reportIfSlow(owner, System.nanoTime() - sliceStart);
        }
    }

    /** On the turn: a callback begins; returns its start time for {@link #endCallback}. */
    long startCallback(Handle h) {
        long start = System.nanoTime();
        inFlight = new StepInFlight(h, start);
        return start;
    }

    /** On the turn: the callback begun at {@code start} ended; reported if it was slow. */
    void endCallback(Handle h, long start) {
        inFlight = null;
        reportIfSlow(h, System.nanoTime() - start);
    }

    /** A run ended: nothing holds the turn any more. */
    void clearInFlight() {
        inFlight = null;
    }

    private void reportIfSlow(Object what, long nanos) {
        if (nanos > slowCallbackDuration.toNanos()) {
            reportSlow(new SlowCallback(loop, what instanceof Task<?> t ? t : null, what instanceof Handle h ? h : null,
                    Duration.ofNanos(nanos), false, List.of()));
        }
    }

    /** To the listener, or logged; on the turn or on the watchdog's thread. */
    void reportSlow(SlowCallback report) {
        Consumer<? super SlowCallback> l = slowCallbackListener;
        if (l == null) {
            LOG.log(Level.WARNING, report.toString());
            return;
        }
        try {
            l.accept(report);
        } catch (Throwable e) {
            LOG.log(Level.ERROR, "Unhandled error in the slow-callback listener; the report was: " + report, e);
        }
    }

    /** Debug mode: a loop method called off the turn; the caller gets the exception too. */
    void reportForeignThreadCall(IllegalStateException e) {
        ExceptionContext context = ExceptionContext.of("Non-thread-safe operation invoked on an event loop "
                + "from another thread (debug mode)", e);
        try {
            loop.callSoonThreadsafe(() -> loop.callExceptionHandler(context));
        } catch (IllegalStateException loopClosed) {
            LOG.log(Level.WARNING, context.message(), e);
        }
    }
}
