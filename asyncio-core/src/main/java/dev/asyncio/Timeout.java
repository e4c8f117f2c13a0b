package dev.asyncio;

import dev.asyncio.internal.Durations;
import dev.asyncio.internal.Exceptions;
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
 * <p><b>Deprecated try-with-resources form.</b> {@link Asyncio#timeout(java.time.Duration)} and
 * {@link Asyncio#timeoutAt(Double)} return an entered scope to be ended by {@link #close()}. It cannot
 * keep asyncio's semantics, because {@code close()} does not see the body's exception and can only add
 * to it (JLS 14.20.3); see {@link #close()}. Use the lambda forms.
 *
 * <p><b>Threads.</b> Every method must be called on the loop's turn, and the deprecated
 * {@code close()}/{@code run} by the task that entered the scope; elsewhere they throw
 * {@link IllegalStateException}.
 */
public final class Timeout implements AutoCloseable {
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
    private State state = State.ENTERED;
    private Double when;
    private Handle timer;

    private Timeout(Task<?> task, Double when, long whenNanos) {
        this.task = task;
        this.loop = task.loop;
        this.cancellingAtEntry = task.cancelling();
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
        loop.checkThread("Timeout.reschedule");
        if (state != State.ENTERED) {
            throw new IllegalStateException("Cannot change state of " + state.label + " Timeout: reschedule() works "
                    + "only while the scope is active and its deadline has not passed");
        }
        schedule(when, when == null ? 0 : Durations.secondsToNanos(when, "reschedule deadline"));
    }

    private void schedule(Double newWhen, long whenNanos) {
        this.when = newWhen;
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

    /**
     * Runs {@code body} inside this scope, obtained from the deprecated {@link Asyncio#timeout(java.time.Duration)}
     * or {@link Asyncio#timeoutAt(Double)}, and ends the scope, with asyncio's full semantics.
     *
     * @param body the code to limit; it runs right here, in the calling task
     * @param <T> its result type
     * @return what {@code body} returned
     * @throws TimeoutError if the deadline expired and the body let the cancellation through
     * @throws CancelledError if the task was cancelled from outside
     * @throws IllegalStateException if the scope has ended already, or if called by another task
     * @deprecated only reachable through the deprecated try-with-resources factories; use
     *     {@link Asyncio#timeout(java.time.Duration, Body)} (or its {@link Coroutine} overload), which
     *     enters and runs in one call.
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public <T> T run(Coroutine<T> body) {
        Objects.requireNonNull(body, "body");
        checkOwner("run");
        if (state == State.EXPIRED || state == State.EXITED) {
            throw new IllegalStateException("Timeout has already been exited: " + this);
        }
        return runInside(scope -> body.call());
    }

    /**
     * Runs a body without a result inside this scope; see {@link #run(Coroutine)}.
     *
     * @param body the code to limit
     * @deprecated use {@link Asyncio#timeout(java.time.Duration, VoidCoroutine)}
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public void run(VoidCoroutine body) {
        run(body.asCoroutine());
    }

    /**
     * Ends the deprecated try-with-resources form: cancels the timer and, if the deadline fired,
     * withdraws the scope's cancellation request from the task. Does nothing if the scope has already
     * ended.
     *
     * <p><b>What it cannot do.</b> {@code close()} does not see the exception leaving the body, and
     * what it throws while one is in flight is only added to it as suppressed (JLS 14.20.3). So if the
     * deadline fired (its {@code CancelledError} then reached the body: the timer can only run while the
     * task is suspended) and no other cancellation of the task is pending, {@code close()} throws a
     * {@link TimeoutError} (without a cause: it has not seen the {@code CancelledError}), and:
     * <ul>
     * <li>if the body let the {@code CancelledError} through (the usual case), that
     *     {@code CancelledError} leaves the {@code try} statement, carrying the {@code TimeoutError} as
     *     suppressed: a {@code catch (TimeoutError e)} does not see it, and a task it ends is cancelled,
     *     not failed; asyncio raises {@code TimeoutError} here;</li>
     * <li>if the body swallowed the cancellation, the {@code TimeoutError} leaves the statement, where
     *     asyncio ends the block normally.</li>
     * </ul>
     * The lambda forms have none of these limits.
     *
     * @throws TimeoutError as described above
     * @throws IllegalStateException if called by a task other than the one that entered the scope
     * @deprecated try-with-resources cannot turn the body's {@code CancelledError} into
     *     {@code TimeoutError}; use {@link Asyncio#timeout(java.time.Duration, Coroutine)},
     *     {@link Asyncio#timeout(java.time.Duration, Body)} or their {@code timeoutAt} twins.
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    @Override
    public void close() {
        if (state == State.EXPIRED || state == State.EXITED) {
            return;
        }
        checkOwner("close");
        // The deadline can only fire while the task is suspended, so its CancelledError has reached the body.
        boolean deadlineFired = state == State.EXPIRING;
        exit(null);
        if (deadlineFired && task.cancelling() <= cancellingAtEntry) {
            throw new TimeoutError("Timeout expired (deadline " + when + " on the loop's clock); the try-with-resources "
                    + "form cannot replace the body's CancelledError: use Asyncio.timeout(delay, body)");
        }
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
        return new TimeoutError("Timeout expired (deadline " + when + " on the loop's clock)", cause);
    }

    private void checkOwner(String method) {
        loop.checkThread("Timeout." + method);
        Task<?> current = loop.currentTask;
        if (current != task) {
            throw new IllegalStateException("Timeout." + method + "() must be called by the task that entered the scope ("
                    + task.getName() + "), not by " + (current == null ? "a callback" : current.getName()));
        }
    }

    @Override
    public String toString() {
        if (state == State.ENTERED) {
            return "<Timeout [active] when=" + (when == null ? "None" : String.format("%.3f", when)) + ">";
        }
        return "<Timeout [" + state.label + "]>";
    }
}
