package dev.asyncio;

import dev.asyncio.internal.Durations;
import dev.asyncio.internal.Exceptions;
import java.util.Objects;

/**
 * asyncio's {@code Timeout} ({@code asyncio.timeout()} / {@code timeout_at()}): a scope that cancels
 * the task running it when a deadline on the loop's clock passes, and turns that cancellation into
 * {@link TimeoutError} where the scope ends.
 *
 * <p>Get one with {@link Asyncio#timeout(java.time.Duration)} or {@link Asyncio#timeoutAt(Double)}, which
 * <em>enter</em> it at once: the scope belongs to the calling task and its timer is running. At the
 * deadline the task is cancelled ({@link Task#cancel()}), so the body sees a {@link CancelledError} at
 * its current or next suspension and may clean up. When that error leaves the scope, the scope
 * withdraws its own request ({@link Task#uncancel()}) and, if no other cancellation of the task is
 * pending, raises {@code TimeoutError} with the {@code CancelledError} as its cause. A cancellation from
 * outside (a later {@code task.cancel()}, or an enclosing timeout that also expired) is left alone:
 * the {@code CancelledError} goes on, so only the outermost expired scope raises {@code TimeoutError}.
 * This uses {@link Task#cancelling()} exactly as asyncio 3.11+ does.
 *
 * <h2>Two forms</h2>
 * <b>Lambda form, full semantics</b>: {@link #run(Coroutine)} (or {@link Asyncio#timeout(java.time.Duration,
 * Coroutine)}) runs the body and sees the exception it throws, so it does everything
 * {@code async with asyncio.timeout(...)} does: a {@code CancelledError} caused by this deadline
 * becomes {@code TimeoutError}; another exception raised while the deadline was cancelling the body
 * passes through unchanged, with a {@code TimeoutError} added as suppressed (3.13's note that a timeout
 * was involved); a body that swallowed the cancellation returns normally.
 * <pre>{@code
 * String page = Asyncio.timeout(ofSeconds(10), () -> fetch(url));   // TimeoutError after 10 s
 *
 * Timeout t = Asyncio.timeout(ofSeconds(10));
 * String page = t.run(() -> { String p = fetch(url); t.reschedule(null); return p + render(p); });
 * }</pre>
 * <b>try-with-resources form, limited</b>: {@code close()} cannot see the body's exception, and an
 * exception that {@code close()} throws while the body's is in flight is only added to it as
 * suppressed (JLS 14.20.3). So when the deadline fires, the body's {@code CancelledError} leaves the
 * {@code try} statement <em>as a {@code CancelledError}</em>: a {@code catch (TimeoutError e)} on the
 * same statement does not see it. {@code close()} does the rest of asyncio's work (the timer is
 * cancelled, the task's cancellation count restored, {@link #expired()} is true) and records that this
 * {@code CancelledError} stands for a {@code TimeoutError}. That record is applied by
 * {@link Asyncio#rethrowCancelled(CancelledError)} in a catch clause, by any enclosing lambda-form
 * scope ({@code timeout}, {@code waitFor}, {@link TaskGroup#run}), and by the task itself if the error
 * reaches its end (the task then fails with the {@code TimeoutError}, not "cancelled"):
 * <pre>{@code
 * try (Timeout t = Asyncio.timeout(ofSeconds(10))) {
 *     page = fetch(url);
 * } catch (CancelledError e) {
 *     Asyncio.rethrowCancelled(e);   // throws the TimeoutError (cause: e), or e if it is not ours
 * }
 * }</pre>
 * A body that swallows the cancellation and completes normally leaves the scope normally, as in asyncio.
 *
 * <p><b>Threads.</b> Every method must be called on the loop's turn, and {@code close()}/{@code run} by
 * the task that entered the scope; elsewhere they throw {@link IllegalStateException}.
 */
public final class Timeout implements AutoCloseable {
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
    private final CancelledError cancelRaisedBeforeEntry;
    private State state = State.ENTERED;
    private Double when;
    private Handle timer;

    private Timeout(Task<?> task, Double when, long whenNanos) {
        this.task = task;
        this.loop = task.loop;
        this.cancellingAtEntry = task.cancelling();
        this.cancelRaisedBeforeEntry = task.lastCancelRaised;
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
     * Runs {@code body} inside this scope and ends the scope, with asyncio's full semantics (see the
     * class comment): returns what the body returned, or throws {@link TimeoutError} if this scope's
     * deadline cancelled it, or rethrows the body's own exception unchanged (checked ones too, as
     * {@link Future#await()} does).
     *
     * @param body the code to limit; it runs right here, in the calling task
     * @param <T> its result type
     * @return what {@code body} returned
     * @throws TimeoutError if the deadline expired and the body let the cancellation through
     * @throws CancelledError if the task was cancelled from outside
     * @throws IllegalStateException if the scope has ended already, or if called by another task
     */
    public <T> T run(Coroutine<T> body) {
        Objects.requireNonNull(body, "body");
        checkOwner("run");
        if (state == State.EXPIRED || state == State.EXITED) {
            throw new IllegalStateException("Timeout has already been exited: " + this);
        }
        T value;
        try {
            value = body.call();
        } catch (Throwable e) {
            throw Exceptions.sneaky(exit(CancelConversion.resolve(task, e)));
        }
        exit(null);
        return value;
    }

    /**
     * Runs a body without a result inside this scope; see {@link #run(Coroutine)}.
     *
     * @param body the code to limit
     */
    public void run(VoidCoroutine body) {
        run(body.asCoroutine());
    }

    /**
     * Ends the scope (asyncio's {@code __aexit__} without the exception, which try-with-resources
     * cannot show it): cancels the timer and, if the deadline fired, withdraws the scope's cancellation
     * request from the task. It never throws {@code TimeoutError} itself: if this scope's deadline
     * caused the {@code CancelledError} now leaving the {@code try} block, it records that the error
     * stands for a {@code TimeoutError} (see the class comment for who applies it). Does nothing if the
     * scope has already ended.
     *
     * @throws IllegalStateException if called by a task other than the one that entered the scope
     */
    @Override
    public void close() {
        if (state == State.EXPIRED || state == State.EXITED) {
            return;
        }
        checkOwner("close");
        boolean wasExpiring = state == State.EXPIRING;
        exit(null);
        if (wasExpiring && task.cancelling() <= cancellingAtEntry) {
            CancelledError raised = task.lastCancelRaised;
            if (raised != null && raised != cancelRaisedBeforeEntry) {
                CancelConversion.record(task, raised, timeoutError(raised));
            }
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
