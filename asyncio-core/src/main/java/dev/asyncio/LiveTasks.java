package dev.asyncio;

import dev.asyncio.engine.IntrusiveList;

/**
 * The tasks of one {@link EventLoop} that are not done yet (asyncio's {@code _all_tasks}, which is a weak
 * set there; here a task is linked while pending, so it stays reachable and is reported if the loop
 * closes first): the engine's list threaded through {@link Task#prevLive}/{@link Task#nextLive}, so that
 * a task's link costs no allocation.
 */
final class LiveTasks extends IntrusiveList<Task<?>> {
    @Override
    protected Task<?> prev(Task<?> t) {
        return t.prevLive;
    }

    @Override
    protected Task<?> next(Task<?> t) {
        return t.nextLive;
    }

    @Override
    protected void setPrev(Task<?> t, Task<?> prev) {
        t.prevLive = prev;
    }

    @Override
    protected void setNext(Task<?> t, Task<?> next) {
        t.nextLive = next;
    }
}
