package dev.asyncio.spring.internal;

import dev.asyncio.internal.NoLoopAdvice;
import reactor.core.scheduler.Schedulers;

/**
 * The advice the core's "no running event loop" errors give on a WebFlux request thread (a Reactor Netty
 * event-loop thread, or any Reactor non-blocking thread): there, {@code Asyncio.run(...)} is the wrong
 * fix, since the application's loops already run; the work is handed to them instead. Found by the core
 * through the {@link java.util.ServiceLoader}; see docs/spring.md.
 */
public final class RequestThreadAdvice extends NoLoopAdvice {
    /** Created by the {@link java.util.ServiceLoader}. */
    public RequestThreadAdvice() {
    }

    /**
     * @return the advice on a Reactor non-blocking or Netty thread, else {@code null}; on the calling thread
     */
    @Override
    protected String forCurrentThread() {
        if (!Schedulers.isInNonBlockingThread() && !isNettyThread(Thread.currentThread())) {
            return null;
        }
        return "this is a WebFlux request thread, where no event loop runs; hand the coroutine to the "
                + "application's loops instead: return asyncioLoops.submit(() -> ...) (a Task, with the AsyncioLoops "
                + "bean) or ReactorCoroutines.mono(() -> ...) from the handler";
    }

    /** Netty's event-loop threads, seen without depending on Netty (WebFlux may run on another server). */
    private static boolean isNettyThread(Thread t) {
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals("io.netty.util.concurrent.FastThreadLocalThread")) {
                return true;
            }
        }
        return false;
    }
}
