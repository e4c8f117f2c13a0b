package dev.asyncio;

/**
 * A coroutine without a result, so that a lambda with a block body needs no {@code return null}.
 *
 * <p>Where a method is overloaded for {@link Coroutine} and {@code VoidCoroutine}, Java picks
 * {@code Coroutine} for a lambda that returns a value and this type for one that does not.
 */
@FunctionalInterface
public interface VoidCoroutine {
    /**
     * Runs the coroutine's body.
     *
     * @throws Exception any exception, which becomes the task's exception
     */
    void run() throws Exception;

    /** Adapts this body to a {@link Coroutine} whose result is {@code null}. */
    default Coroutine<Void> asCoroutine() {
        return new VoidBody(this);
    }
}
