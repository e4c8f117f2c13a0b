package dev.asyncio.engine;

/**
 * asyncio's {@code _LoopBoundMixin} for the primitives of {@code dev.asyncio.sync} and
 * {@code dev.asyncio.queues}: a primitive is created free of any loop and is bound to the running loop
 * the first time it has to wait (it then creates futures of that loop); from then on it refuses to be
 * used from another loop or from a thread that does not hold the bound loop's turn.
 *
 * <p>The second rule goes beyond asyncio, where the GIL makes a foreign-thread call merely wrong; here it
 * would race with the loop, so it is refused with an error that names the way out. Before binding, any
 * thread may call the non-suspending methods (so a queue can be filled before {@code Asyncio.run}).
 *
 * <p>The engine knows no API type: the bound loop is held as its {@link LoopEngine}, and
 * {@link #loopForWait} hands back the event loop with the type the caller names.
 */
public final class LoopBinding {
    private static final Object BIND_LOCK = new Object();

    private final Object owner;
    private volatile LoopEngine loop;

    /**
     * @param owner the primitive, named in error messages through its {@code toString()}
     */
    public LoopBinding(Object owner) {
        this.owner = owner;
    }

    /**
     * For a method that is about to suspend: checks that the caller is a coroutine, binds the primitive
     * to its loop on first use, and returns that loop (to create the waiter's future on).
     *
     * @param operation the public method, for messages, e.g. {@code "Lock.acquire()"}
     * @param <L> the event loop's type ({@code dev.asyncio.EventLoop}, the only kind of loop there is)
     * @return the running loop, the one the primitive is bound to
     * @throws IllegalStateException outside a coroutine, or on a loop other than the bound one
     */
    @SuppressWarnings("unchecked")
    public <L> L loopForWait(String operation) {
        LoopEngine running = LoopEngine.running();
        if (running == null) {
            throw new IllegalStateException(operation + " must be called from a coroutine, but thread '"
                    + Thread.currentThread().getName() + "' is not running an event loop; "
                    + MisuseAdvice.noLoop("start the coroutine with Asyncio.run(...) or loop.createTask(...)"));
        }
        if (!running.runsTask()) {
            throw new IllegalStateException(operation + " has to wait here and was called from a callback of "
                    + running + ", which cannot suspend; call it from a coroutine (wrap it in loop.createTask(...))");
        }
        LoopEngine bound = loop;
        if (bound == null) {
            synchronized (BIND_LOCK) {
                bound = loop;
                if (bound == null) {
                    loop = running;
                    return (L) running.loop();
                }
            }
        }
        if (bound != running) {
            throw differentLoop(operation, bound);
        }
        return (L) running.loop();
    }

    /**
     * For a method that does not suspend: once bound, the caller must hold the bound loop's turn (be one
     * of its coroutines or callbacks). Cheap: a field read and, once bound, a scan of the running loops.
     *
     * @param operation the public method, for messages
     * @throws IllegalStateException if called from another loop or from a thread not running the bound loop
     */
    public void checkAccess(String operation) {
        LoopEngine bound = loop;
        if (bound != null && LoopEngine.running() != bound) {
            LoopEngine running = LoopEngine.running();
            if (running != null) {
                throw differentLoop(operation, bound);
            }
            throw new IllegalStateException(operation + " was called from thread '" + Thread.currentThread().getName()
                    + "', but " + owner + " belongs to " + bound + " and is not thread-safe; from another thread use "
                    + "loop.callSoonThreadsafe(...) or loop.runCoroutineThreadsafe(...)");
        }
    }

    private IllegalStateException differentLoop(String operation, LoopEngine bound) {
        return new IllegalStateException(operation + ": " + owner + " is bound to a different event loop (" + bound
                + "); a primitive belongs to the loop that first waited on it: create one per loop, e.g. inside "
                + "the coroutine given to Asyncio.run(...)");
    }
}
