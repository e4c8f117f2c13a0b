package dev.asyncio.internal;

import dev.asyncio.EventLoop;

/**
 * The one loop per JVM on which the Reactor and RxJava bridges run coroutines subscribed from a thread
 * that runs no loop, when nothing else was chosen (see {@link LoopChoice}): started on first use, on a
 * daemon thread named {@value #THREAD_NAME}, never closed.
 */
public final class DefaultBridgeLoop {
    /** The name of the loop's thread. */
    public static final String THREAD_NAME = "asyncio-bridge-default-loop";

    private DefaultBridgeLoop() {
    }

    /**
     * @return the shared loop, running; thread-safe
     */
    public static EventLoop get() {
        return Holder.LOOP.loop();
    }

    /** Lazy and thread-safe through class initialization. */
    private static final class Holder {
        static final LoopThread LOOP = new LoopThread(new EventLoop(), THREAD_NAME);
    }
}
