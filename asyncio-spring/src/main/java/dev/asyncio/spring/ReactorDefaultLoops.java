package dev.asyncio.spring;

import dev.asyncio.EventLoop;
import dev.asyncio.reactor.ReactorCoroutines;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;

/**
 * Makes {@link AsyncioLoops} the loops that {@code mono}/{@code flux} coroutines subscribed outside any
 * loop (e.g. returned by a controller and subscribed on a Netty thread) run on, each on the loop
 * {@link AsyncioLoops#next()} chooses, for the bean's lifetime
 * ({@link ReactorCoroutines#setDefaultLoopSupplier}). Destroyed before the pool it depends on; the supplier
 * answers {@code null} once the pool is closed in any case, which sends such subscriptions back to
 * asyncio-reactor's shared default loop.
 */
final class ReactorDefaultLoops implements DisposableBean {
    private final Supplier<EventLoop> supplier;
    private final Supplier<EventLoop> previous;

    ReactorDefaultLoops(AsyncioLoops loops) {
        this.supplier = () -> loops.isClosed() ? null : loops.next();
        this.previous = ReactorCoroutines.setDefaultLoopSupplier(supplier);
    }

    @Override
    public void destroy() {
        Supplier<EventLoop> current = ReactorCoroutines.setDefaultLoopSupplier(previous);
        if (current != supplier) {
            // Another pool (another application context) installed its own since: keep it.
            ReactorCoroutines.setDefaultLoopSupplier(current);
        }
    }
}
