package dev.asyncio.internal;

import java.util.List;
import java.util.ServiceLoader;

/**
 * What to tell a caller who used a coroutine-only call on a thread that runs no event loop, when the
 * thread says more than "no loop": the core's own advice ({@code Asyncio.run(...)}) is right in a
 * {@code main} method but wrong on a web server's request thread, where the loop already exists and the
 * work has to be handed to it. Modules that know such threads provide an implementation (asyncio-spring:
 * on a WebFlux request thread, {@code AsyncioLoops.submit} or {@code ReactorCoroutines.mono}); the core
 * finds them with the {@link ServiceLoader} ({@code provides} in a module descriptor, or
 * {@code META-INF/services} on the class path) without depending on them.
 *
 * <p>Implementations are stateless and thread-safe, and fast: they run while an exception is being built.
 */
public abstract class NoLoopAdvice {
    /** Created by the {@link ServiceLoader}. */
    protected NoLoopAdvice() {
    }

    /**
     * The advice for the calling thread, which runs no event loop.
     *
     * @return a sentence or two saying what to do instead, or {@code null} if this provider knows nothing
     *     about the thread
     */
    protected abstract String forCurrentThread();

    /**
     * The first provider's advice for the calling thread, else {@code fallback}. Callable from any thread.
     *
     * @param fallback the core's own advice
     * @return the advice to put in the error message
     */
    public static String forCurrentThread(String fallback) {
        for (NoLoopAdvice provider : Providers.ALL) {
            String advice = provider.forCurrentThread();
            if (advice != null) {
                return advice;
            }
        }
        return fallback;
    }

    /** Loaded once, on the first misuse: most programs never build such a message. */
    private static final class Providers {
        static final List<NoLoopAdvice> ALL = ServiceLoader.load(NoLoopAdvice.class, NoLoopAdvice.class.getClassLoader())
                .stream().map(ServiceLoader.Provider::get).toList();
    }
}
