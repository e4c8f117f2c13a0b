package dev.asyncio;

import dev.asyncio.engine.Durations;
import dev.asyncio.engine.Exceptions;
import java.util.Objects;

/**
 * asyncio's {@code Timeout} ({@code asyncio.timeout()} / {@code timeout_at()}): a scope that cancels
 * the task running it when a deadline on the loop's clock passes, and turns that cancellation into
 * {@link TimeoutError} where the scope ends.
 *
 * <p>Run a body in one with {@link Asyncio#timeout(java.time.Duration, Coroutine)} or
 * {@link Asyncio#timeoutAt(Double, Coroutine)}; the body runs right there, in the calling task. At the
 * deadline the task is cancelled ({@link Task#cancel()}), so the body sees a {@link CancelledError} at
 * its current or next suspension and may clean up. When that error leaves the body, the scope
 * withdraws its own request ({@link Task#uncancel()}) and, if no other cancellation of the task is
 * pending, raises {@code TimeoutError} with the {@code CancelledError} as its cause. A cancellation from
 * outside (a later {@code task.cancel()}, or an enclosing timeout that also expired) is left alone:
 * the {@code CancelledError} goes on, so only the outermost expired scope raises {@code TimeoutError}.
 * This uses {@link Task#cancelling()} exactly as asyncio 3.11+ does. Another exception raised while
 * the deadline was cancelling the body passes through unchanged, with a {@code TimeoutError} added as
 * suppressed (3.13's note that a timeout was involved); a body that swallowed the cancellation
 * returns normally.
 * <pre>{@code
 * String page = timeout(ofSeconds(10), () -> fetch(url));   // TimeoutError after 10 s
 * }</pre>
 * A body that needs the scope itself ({@code async with asyncio.timeout(d) as cm:}, to call
 * {@link #reschedule}, {@link #when()} or {@link #expired()}) takes it as its parameter, a {@link Body}:
 * <pre>{@code
 * String page = timeout(ofSeconds(10), cm -> {
 *     String p = fetch(url);
 *     cm.reschedule(null);          // no deadline for the rest
 *     return p + render(p);
 * });
 * }</pre>
 *
 * <p><b>Why a lambda and not try-with-resources.</b> {@code async with} lets {@code __aexit__} see the
 * body's exception: that is how the deadline's {@code CancelledError} becomes a {@link TimeoutError}. A
 * {@code close()} cannot see it (what it throws is only added as suppressed, JLS 14.20.3), so the scope
 * is entered, run and left by one call that wraps the body.
 *
 * <p><b>Threads.</b> Every method must be called on the loop's turn; elsewhere it throws
 * {@link IllegalStateException}.
 */
public final class Timeout {
    /**
     * A body that runs under a deadline and gets the scope, to read or move the deadline; see
     * {@link Asyncio#timeout(java.time.Duration, Body)}. A body with nothing to return returns
     * {@code null}.
     *
     * @param <T> its result type
     */
    @FunctionalInterface
    public interface Body<T> {
        /**
         * Runs inside the scope, in the calling task.
         *
         * @param scope the entered scope: {@link Timeout#when()}, {@link Timeout#reschedule(Double)},
         *     {@link Timeout#expired()}
         * @return the value the scope's method returns
         * @throws Exception any exception: it leaves the scope unchanged, unless it is the
         *     {@link CancelledError} this scope's deadline caused, which becomes {@link TimeoutError}
         */
        T call(Timeout scope) throws Exception;
    }

    private enum State {
        ENTERED("active"), EXPIRING("expiring"), EXPIRED("expired"), EXITED("finished");

        final String label;

        State(String label) {
            this.label = label;
        }
    }

    private final EventLoop loop;
    private final Task<?> task;
    private final int cancellingAtEntry;
    /** The loop's time on entry, so that the error can say how long the body had ("after 200 ms"). */
    private final long enteredNanos;
    private State state = State.ENTERED;
    private Double when;
    /** {@link #when} in nanoseconds, exact (the double may be off by rounding). */
    private long whenNanos;
    private Handle timer;

    private Timeout(Task<?> task, Double when, long whenNanos) {
        this.task = task;
        this.loop = task.loop;
        this.cancellingAtEntry = task.cancelling();
        this.enteredNanos = loop.timeNanos();
        schedule(when, whenNanos);
    }

    /** Enters a scope with a deadline {@code delayNanos} from now, or none if {@code null}. */
    static Timeout enterAfter(Task<?> task, Long delayNanos) {
        if (delayNanos == null) {
            return new Timeout(task, null, 0);
        }
        long whenNanos = Durations.saturatedAdd(task.loop.timeNanos(), delayNanos);
        return new Timeout(task, whenNanos / 1e9, whenNanos);
    }

    /** Enters a scope with a deadline at loop time {@code when} in seconds, or none if {@code null}. */
    static Timeout enterAt(Task<?> task, Double when) {
        return new Timeout(task, when, when == null ? 0 : Durations.secondsToNanos(when, "timeoutAt deadline"));
    }

    /**
     * Returns the current deadline (asyncio's {@code when()}).
     *
     * @return the deadline in seconds on the loop's clock (as {@link EventLoop#time()}), or {@code null}
     *     if the scope has none
     */
    public Double when() {
        return when;
    }

    /**
     * Moves the deadline (asyncio's {@code reschedule}); a deadline not later than now fires in the next
     * iteration.
     *
     * @param when the new deadline in seconds on the loop's clock, or {@code null} for none
     * @throws IllegalStateException if the scope has expired or ended, or off the loop's turn
     * @throws IllegalArgumentException if {@code when} is NaN
     */
    public void reschedule(Double when) {
        loop.engine.checkThread("Timeout.reschedule");
        if (state != State.ENTERED) {
            throw new IllegalStateException("Cannot change state of " + state.label + " Timeout: reschedule() works "
                    + "only while the scope is active and its deadline has not passed");
        }
        schedule(when, when == null ? 0 : Durations.secondsToNanos(when, "reschedule deadline"));
    }

    private void schedule(Double newWhen, long whenNanos) {
        this.when = newWhen;
        this.whenNanos = whenNanos;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (newWhen != null) {
            timer = whenNanos <= loop.timeNanos() ? loop.callSoon(this::onTimeout) : loop.callAtNanos(whenNanos, this::onTimeout);
        }
    }

    private void onTimeout() {
        if (state != State.ENTERED) {
            return;
        }
        task.cancel();
        state = State.EXPIRING;
        timer = null;
    }

    /**
     * Tells whether the deadline passed while the scope was active (asyncio's {@code expired()}).
     *
     * @return {@code true} once the deadline has fired, even if the body swallowed the cancellation
     */
    public boolean expired() {
        return state == State.EXPIRING || state == State.EXPIRED;
    }

    /**
     * {@code async with}: runs {@code body} inside this scope, entered just now, and ends the scope
     * with the body's outcome (asyncio's {@code __aexit__} given the body's exception).
     */
    <T> T runInside(Body<T> body) {
        T value;
        try {
            value = body.call(this);
        } catch (Throwable e) {
            throw Exceptions.sneaky(exit(e));
        }
        exit(null);
        return value;
    }

    /** asyncio's {@code __aexit__}: the exception to leave the scope with ({@code null} for none). */
    private Throwable exit(Throwable error) {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (state == State.EXPIRING) {
            state = State.EXPIRED;
            if (task.uncancel() <= cancellingAtEntry && error != null) {
                if (error instanceof CancelledError ce) {
                    return timeoutError(ce);
                }
                error.addSuppressed(new TimeoutError("the deadline of " + this + " expired while the body was being cancelled"));
            }
        } else if (state == State.ENTERED) {
            state = State.EXITED;
        }
        return error;
    }

    private TimeoutError timeoutError(CancelledError cause) {
        return new TimeoutError("Timed out after " + allowed() + String.format(" (deadline %.3f on the loop's clock)", when), cause);
    }

    /** The time the body was given, from entry to the (last) deadline, in the unit a reader expects. */
    private String allowed() {
        long nanos = Math.max(0, whenNanos - enteredNanos);
        if (nanos < 10_000_000_000L) {
            return Math.round(nanos / 1e6) + " ms";
        }
        return String.format("%.1f s", nanos / 1e9);
    }

    @Override
    public String toString() {
        if (state == State.ENTERED) {
            return "<Timeout [active] when=" + (when == null ? "None" : String.format("%.3f", when)) + ">";
        }
        return "<Timeout [" + state.label + "]>";
    }
}
