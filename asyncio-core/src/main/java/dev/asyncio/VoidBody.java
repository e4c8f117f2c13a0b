package dev.asyncio;

/**
 * A {@link VoidCoroutine} seen as a {@link Coroutine} whose result is {@code null}
 * ({@link VoidCoroutine#asCoroutine()}). A named class rather than a lambda so that a {@link Task} can
 * recognise it and run the body itself: a parked task's stack then holds no adapter frame, and the
 * task keeps no adapter object (tasks are what programs hold by the hundred thousand).
 *
 * @param body the coroutine's body
 */
record VoidBody(VoidCoroutine body) implements Coroutine<Void> {
    @Override
    public Void call() throws Exception {
        body.run();
        return null;
    }
}
