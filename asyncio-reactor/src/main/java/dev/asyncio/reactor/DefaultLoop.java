package dev.asyncio.reactor;

import dev.asyncio.EventLoop;

/**
 * The loop that {@code mono}/{@code flux} coroutines run on when they are subscribed outside any loop
 * and no loop was given: one per JVM, started on first use, on a daemon platform thread named
 * {@code asyncio-reactor-default-loop}, running until the JVM exits.
 */
final class DefaultLoop {
    private DefaultLoop() {
    }

    static EventLoop get() {
        return Holder.LOOP;
    }

    /** Lazy and thread-safe through class initialization. */
    private static final class Holder {
        static final EventLoop LOOP = start();

        private static EventLoop start() {
            EventLoop loop = new EventLoop();
            Thread.ofPlatform().daemon().name("asyncio-reactor-default-loop").start(() -> {
                // Nothing stops this loop on purpose; an interrupt of its private thread stops one run.
                while (true) {
                    loop.runForever();
                    Thread.interrupted();
                }
            });
            return loop;
        }
    }
}
