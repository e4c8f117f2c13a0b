package dev.asyncio.rxjava3;

import dev.asyncio.EventLoop;

/**
 * The shared loop on which builders run when subscribed from a thread that runs no loop and no
 * {@code TestScheduler} stands in for the computation scheduler: started on first use, on a daemon
 * thread named {@code asyncio-rxjava-default-loop}, never closed.
 *
 * <p>The Reactor module needs the same holder; once both exist, one shared default loop belongs in a
 * common place.
 */
final class DefaultLoop {
    private DefaultLoop() {
    }

    static EventLoop get() {
        return Holder.LOOP.loop;
    }

    private static final class Holder {
        static final LoopThread LOOP = new LoopThread(new EventLoop(), "asyncio-rxjava-default-loop");
    }
}
