package dev.asyncio;

import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Python's {@code contextvars.ContextVar}: a variable whose value belongs to the current
 * {@link Context}, so each task sees its own (a task starts with a copy of its creator's values).
 *
 * <p>Typical use is request-scoped data: set it in the coroutine handling a request; every task that
 * coroutine spawns, every callback it schedules and every {@code toThread} job it starts sees the value,
 * while concurrent requests see theirs.
 *
 * <p>Thread-safe in the sense of contexts: {@link #get()} and {@link #set} act on the calling thread's
 * current context (on a loop's turn, the running task's or callback's).
 *
 * @param <T> the value type
 */
public final class ContextVar<T> {
    private static final Object NO_DEFAULT = new Object();

    private final String name;
    private final Object defaultValue;

    /**
     * Creates a variable without a default: {@link #get()} throws until it is set.
     *
     * @param name a name for messages and debugging
     */
    public ContextVar(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = NO_DEFAULT;
    }

    /**
     * Creates a variable with a default value.
     *
     * @param name a name for messages and debugging
     * @param defaultValue the value {@link #get()} returns where the variable was never set
     */
    public ContextVar(String name, T defaultValue) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = defaultValue;
    }

    /** @return the variable's name */
    public String name() {
        return name;
    }

    /**
     * @return the value in the current context, else the default
     * @throws NoSuchElementException (Python's {@code LookupError}) if it has neither
     */
    @SuppressWarnings("unchecked")
    public T get() {
        Context ctx = Context.current();
        if (ctx.contains(this)) {
            return (T) ctx.vars.get(this);
        }
        if (defaultValue == NO_DEFAULT) {
            throw new NoSuchElementException("ContextVar '" + name + "' has no value in this context and no default;"
                    + " set it first or use get(fallback)");
        }
        return (T) defaultValue;
    }

    /**
     * @param fallback the value to return where the variable has no value (its own default is ignored)
     * @return the value in the current context, else {@code fallback}
     */
    @SuppressWarnings("unchecked")
    public T get(T fallback) {
        Context ctx = Context.current();
        return ctx.contains(this) ? (T) ctx.vars.get(this) : fallback;
    }

    /**
     * Sets the value in the current context.
     *
     * @param value the new value, may be {@code null}
     * @return a token for {@link #reset} to restore the previous value
     */
    public Token<T> set(T value) {
        Context ctx = Context.current();
        boolean had = ctx.contains(this);
        Object old = ctx.vars.get(this);
        ctx.put(this, value, true);
        return new Token<>(this, ctx, had, old);
    }

    /**
     * Restores the value this variable had before the {@link #set} that returned {@code token}.
     *
     * @param token the token that {@code set} returned
     * @throws IllegalArgumentException if the token belongs to another variable or was created in
     *     another context (Python's {@code ValueError})
     * @throws IllegalStateException if the token was already used (Python's {@code RuntimeError})
     */
    public void reset(Token<T> token) {
        Objects.requireNonNull(token, "token");
        if (token.var != this) {
            throw new IllegalArgumentException("the token was created by ContextVar '" + token.var.name
                    + "', not by '" + name + "'");
        }
        Context ctx = Context.current();
        if (token.context != ctx) {
            throw new IllegalArgumentException("the token of ContextVar '" + name
                    + "' was created in a different context; reset it in the task or callback that called set()");
        }
        if (token.used) {
            throw new IllegalStateException("the token of ContextVar '" + name + "' has already been used once");
        }
        token.used = true;
        ctx.put(this, token.oldValue, token.hadValue);
    }

    @Override
    public String toString() {
        return "ContextVar[" + name + "]";
    }

    /**
     * What {@link ContextVar#set} returns: enough to restore the previous value with
     * {@link ContextVar#reset}, once.
     *
     * @param <T> the variable's type
     */
    public static final class Token<T> {
        final ContextVar<T> var;
        final Context context;
        final boolean hadValue;
        final Object oldValue;
        boolean used;

        Token(ContextVar<T> var, Context context, boolean hadValue, Object oldValue) {
            this.var = var;
            this.context = context;
            this.hadValue = hadValue;
            this.oldValue = oldValue;
        }

        /** @return the variable that created this token */
        public ContextVar<T> var() {
            return var;
        }

        /** @return whether the variable had a value before the {@code set} */
        public boolean hadValue() {
            return hadValue;
        }

        /** @return the value before the {@code set}, or {@code null} if it had none */
        @SuppressWarnings("unchecked")
        public T oldValue() {
            return (T) oldValue;
        }
    }
}
