package dev.asyncio.engine;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The advice of a "no running event loop" error: the core's own ({@code Asyncio.run(...)}), or that of a
 * module that knows the calling thread better (asyncio-spring, on a WebFlux request thread, names
 * {@code AsyncioLoops.submit} and {@code mono}). Such modules plug in through the bridge SPI
 * {@code dev.asyncio.internal.NoLoopAdvice}; it is found here by name, as {@code LoopInternals} finds the
 * core's side, so that the engine depends on the JDK alone (docs/architecture.md, "Packages").
 */
public final class MisuseAdvice {
    private MisuseAdvice() {
    }

    /**
     * The advice for the calling thread, which runs no event loop. Any thread.
     *
     * @param fallback the core's own advice
     * @return the advice of the first module that knows the thread, else {@code fallback}
     */
    public static String noLoop(String fallback) {
        MethodHandle spi = Spi.FOR_CURRENT_THREAD;
        if (spi == null) {
            return fallback;
        }
        try {
            return (String) spi.invokeExact(fallback);
        } catch (Throwable e) {
            // A provider failed while an error message is being built: that error matters more.
            return fallback;
        }
    }

    /** Resolved on the first misuse: most programs never build such a message. */
    private static final class Spi {
        static final MethodHandle FOR_CURRENT_THREAD = find();

        private static MethodHandle find() {
            try {
                Class<?> spi = Class.forName("dev.asyncio.internal.NoLoopAdvice", true, MisuseAdvice.class.getClassLoader());
                return MethodHandles.lookup().findStatic(spi, "forCurrentThread",
                        MethodType.methodType(String.class, String.class));
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }
    }
}
