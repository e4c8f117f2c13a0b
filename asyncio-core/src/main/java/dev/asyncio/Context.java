package dev.asyncio;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Python's {@code contextvars.Context}: a snapshot of {@link ContextVar} values.
 *
 * <p>Every {@link Task} runs in its own context, a copy of its creator's taken at
 * {@code createTask}; every callback scheduled with {@code callSoon}/{@code callLater} runs in a copy
 * of the context current when it was scheduled, so a {@link ContextVar#set} inside a callback is not
 * seen outside it. {@link Asyncio#toThread} carries the caller's context to the worker thread. Outside
 * a loop, each thread has its own context.
 *
 * <p>A context is a mapping from variables to values that changes only through
 * {@link ContextVar#set}/{@link ContextVar#reset} while it is the current one. Copies share storage
 * (copy-on-write), so copying is cheap.
 */
public final class Context {
    static final Map<ContextVar<?>, Object> EMPTY = Map.of();
    private static final ThreadLocal<Context> THREAD_CONTEXT = ThreadLocal.withInitial(Context::new);

    Map<ContextVar<?>, Object> vars;

    /** Creates an empty context, Python's {@code Context()}. */
    public Context() {
        this.vars = EMPTY;
    }

    Context(Map<ContextVar<?>, Object> vars) {
        this.vars = vars;
    }

    /**
     * Python's {@code contextvars.copy_context()}: a copy of the current context, on a loop the running
     * task's or callback's, elsewhere the calling thread's.
     *
     * @return a new context holding the same values
     */
    public static Context copyCurrent() {
        return new Context(currentVars());
    }

    /**
     * Runs {@code body} with this context as the current one, then restores the previous one; changes
     * made by the body stay in this context.
     *
     * @param body the code to run
     * @param <T> its result type
     * @return what {@code body} returned
     * @throws Exception what {@code body} threw
     */
    public <T> T run(Callable<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        Context previous = swapCurrent(this);
        try {
            return body.call();
        } finally {
            swapCurrent(previous);
        }
    }

    /**
     * Runs {@code body} with this context as the current one, then restores the previous one.
     *
     * @param body the code to run
     */
    public void run(Runnable body) {
        Objects.requireNonNull(body, "body");
        Context previous = swapCurrent(this);
        try {
            body.run();
        } finally {
            swapCurrent(previous);
        }
    }

    /**
     * @param var a variable
     * @param <T> its type
     * @return the variable's value in this context, or {@code null} if it has none here
     */
    @SuppressWarnings("unchecked")
    public <T> T get(ContextVar<T> var) {
        return (T) vars.get(var);
    }

    /**
     * @param var a variable
     * @return whether this context holds a value for it
     */
    public boolean contains(ContextVar<?> var) {
        return vars.containsKey(var);
    }

    /** @return how many variables hold a value in this context */
    public int size() {
        return vars.size();
    }

    void put(ContextVar<?> var, Object value, boolean present) {
        Map<ContextVar<?>, Object> copy = new HashMap<>(vars);
        if (present) {
            copy.put(var, value);
        } else {
            copy.remove(var);
        }
        vars = copy.isEmpty() ? EMPTY : copy;
    }

    /**
     * A task's own copy of a creator's variables: {@code null} for none, which the task makes into an
     * empty context on first use (see {@code Task.context()}).
     */
    static Context copyOf(Map<ContextVar<?>, Object> vars) {
        return vars.isEmpty() ? null : new Context(vars);
    }

    /** The current context's variables, without making a context (see {@code EventLoopEngine.currentVars}). */
    static Map<ContextVar<?>, Object> currentVars() {
        EventLoop loop = EventLoopEngine.runningLoop();
        return loop != null ? loop.engine.currentVars() : THREAD_CONTEXT.get().vars;
    }

    /** The current context: the running task's or callback's on a loop's turn, else the thread's. */
    static Context current() {
        EventLoop loop = EventLoopEngine.runningLoop();
        return loop != null ? loop.engine.currentContext() : THREAD_CONTEXT.get();
    }

    static Context swapCurrent(Context next) {
        EventLoop loop = EventLoopEngine.runningLoop();
        if (loop != null) {
            return loop.engine.swapContext(next);
        }
        Context previous = THREAD_CONTEXT.get();
        THREAD_CONTEXT.set(next);
        return previous;
    }

    @Override
    public String toString() {
        return "Context" + vars;
    }
}
