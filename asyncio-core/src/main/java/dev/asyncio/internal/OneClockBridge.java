package dev.asyncio.internal;

import dev.asyncio.EventLoop;

/**
 * The service through which the test kit (asyncio-test) finds the Reactor and RxJava bridges without
 * depending on them: each bridge module provides one ({@code provides} in its module descriptor,
 * {@code META-INF/services} on the class path), and the test kit loads them with
 * {@link java.util.ServiceLoader}. While a test loop is attached, the library's schedulers, when asked
 * for on that loop's turn, are the loop itself on its virtual clock ("one clock" for coroutine sleeps,
 * Reactor's {@code Mono.delay} and RxJava's {@code timer}); asked for anywhere else, they are the
 * library's ordinary ones. {@link SchedulerRouting} implements the bookkeeping.
 *
 * <p>Implementations are thread-safe.
 */
public interface OneClockBridge {
    /**
     * Routes the library's schedulers to {@code loop} for calls made on its turn, until
     * {@link #detach}; the first attached loop installs the library's global hooks.
     *
     * @param loop a test loop
     * @throws IllegalStateException if the library refuses hooks (e.g. RxJava's plugins are locked down)
     */
    void attach(EventLoop loop);

    /**
     * Ends {@link #attach}; the last attached loop to detach restores the hooks installed before.
     *
     * @param loop a loop given to {@link #attach}
     */
    void detach(EventLoop loop);
}
