package dev.asyncio.reactor;

import dev.asyncio.ContextVar;
import reactor.util.context.ContextView;

/**
 * The Reactor {@link ContextView} of the subscriber a coroutine works for, as a {@link ContextVar}.
 *
 * <p>A coroutine started by {@link ReactorCoroutines#mono} or {@link ReactorCoroutines#flux} runs
 * with this variable set to its subscriber's context, so {@code ReactorContext.current().get("user")}
 * reads what the caller put there with {@code contextWrite}. Like every {@code ContextVar} it is
 * inherited by the tasks the coroutine creates. Publishers awaited inside the coroutine
 * ({@code await}, {@code awaitFirst}, {@code iterate}, …) receive it back as their subscriber's
 * context, so a context written downstream of a {@code mono} reaches the Reactor code it awaits.
 * Setting the variable (e.g. {@code variable().set(ctx.put(k, v))}) changes what later awaits pass
 * upstream.
 *
 * <p>kotlinx.coroutines' counterpart is the {@code ReactorContext} coroutine context element.
 */
public final class ReactorContext {
    /**
     * A Reactor context key whose value, if a subscriber's context holds it, names the task that a
     * {@code mono}/{@code flux} coroutine runs in for that subscriber ({@code Task.setName} with the
     * value's {@code toString()}, before the coroutine's first statement). asyncio-spring writes it per
     * request (e.g. {@code "GET /items/42"}); any code may, with {@code contextWrite}.
     */
    public static final String TASK_NAME_KEY = "dev.asyncio.taskName";

    static final ContextVar<ContextView> VAR = new ContextVar<>("reactor.context", reactor.util.context.Context.empty());

    private ReactorContext() {
    }

    /**
     * The Reactor context of the current coroutine (or callback, or thread).
     *
     * @return the subscriber's context inside a {@code mono}/{@code flux} coroutine, else the value set
     *     with {@link #variable()}, else an empty context; never {@code null}
     */
    public static ContextView current() {
        ContextView v = VAR.get();
        return v != null ? v : reactor.util.context.Context.empty();
    }

    /** @return the variable itself, to set or reset it in the current asyncio context */
    public static ContextVar<ContextView> variable() {
        return VAR;
    }
}
