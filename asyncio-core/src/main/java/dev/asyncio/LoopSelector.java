package dev.asyncio;

import dev.asyncio.engine.SelectorPoller;

/**
 * The I/O selector of one {@link EventLoop} (see {@link SelectorPoller}) over its {@link Handle}s: a ready
 * channel's callback is a handle in the ready queue, and a failed select goes to the loop's exception handler.
 * On the loop's turn.
 */
final class LoopSelector extends SelectorPoller<Handle> {
    private final EventLoop loop;

    LoopSelector(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    protected Handle handle(Runnable callback) {
        return new Handle(loop, callback, Context.currentVars());
    }

    @Override
    protected boolean isCancelled(Handle handle) {
        return handle.cancelled;
    }

    @Override
    protected void cancel(Handle handle) {
        handle.cancel();
    }

    @Override
    protected void schedule(Handle handle) {
        loop.engine.schedule(handle);
    }

    @Override
    protected void selectFailed(Exception e) {
        loop.callExceptionHandler(new ExceptionContext("Selector failed while polling for I/O", e, null, null));
    }
}
