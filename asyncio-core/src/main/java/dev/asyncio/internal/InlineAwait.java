package dev.asyncio.internal;

import dev.asyncio.Context;
import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import java.util.function.Supplier;

/**
 * How a bridge awaits its own cold coroutine publisher ({@code mono(body)}, {@code single(body)}, …) from a
 * coroutine on the loop the publisher would start its task on: the body runs in the awaiting task, as
 * Python's {@code await coro()} runs a coroutine in the awaiting task, instead of a subscription that
 * starts a task on a thread of its own and suspends the awaiter until that task ends (a thread and two
 * hand-overs per call). See docs/asyncio-mapping.md, "Awaiting a bridge's own coroutine publisher".
 *
 * <p>What the body can tell apart: {@code currentTask()} is the awaiter, and a cancellation of the awaiter
 * reaches the body at its next suspension, whose clean-up runs before the {@code await} ends (where the
 * subscription would have cancelled a separate task and returned at once). What it cannot: it runs in a
 * copy of the awaiter's {@link Context}, so its {@code ContextVar} changes stay inside as they would in
 * a task of its own, and with thread-local propagation on, the awaiter's thread-local values are set
 * back when it ends.
 */
public final class InlineAwait {
    private InlineAwait() {
    }

    /**
     * Whether awaiting, now, a publisher that would run its coroutine on {@code explicit} runs it inline.
     * Any thread; cheap.
     *
     * @param explicit the loop the publisher was built for, or {@code null} for "the subscriber's loop"
     * @return {@code true} when the calling thread runs a task's step on that loop
     */
    public static boolean applies(EventLoop explicit) {
        Task<?> task = LoopInternals.currentTaskOrNull();
        return task != null && (explicit == null || explicit == task.getLoop());
    }

    /**
     * Runs {@code body} in the calling task, in a copy of its context (and, with thread-local propagation
     * on, with its thread-local values restored afterwards). Call only when {@link #applies} said so.
     *
     * @param body the publisher's coroutine
     * @param <T> its result type
     * @return what the body returned
     * @throws RuntimeException (or a checked exception, undeclared) what the body threw, the same object
     */
    public static <T> T call(Coroutine<T> body) {
        Supplier<ThreadLocalSnapshot> threadLocals = ThreadLocalPropagation.installed();
        try {
            if (threadLocals == null) {
                return Context.copyCurrent().run(body::call);
            }
            ThreadLocalSnapshot own = threadLocals.get();
            return Context.copyCurrent().run(() -> ThreadLocalPropagation.callWith(own, body::call));
        } catch (Exception e) {
            throw LoopInternals.sneakyThrow(e);
        }
    }
}
