package dev.asyncio.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.EventLoop;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Reactor and RxJava are discovered, not required: loaded through a class loader that sees only the
 * core and this module, a test loop works, and the one-clock classes that refer to those libraries are
 * never loaded.
 */
class OneClockDiscoveryTest {

    @Test
    void withReactorPresentBothLibrariesAreFound() {
        assertTrue(OneClock.REACTOR);
        assertTrue(OneClock.RXJAVA);
    }

    @Test
    void withoutReactorAndRxJavaTheTestLoopStillWorks() throws Exception {
        URL core = EventLoop.class.getProtectionDomain().getCodeSource().getLocation();
        URL kit = TestLoop.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {core, kit}, ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName("reactor.core.scheduler.Schedulers", false, isolated));
            Class<?> oneClock = Class.forName("dev.asyncio.test.OneClock", true, isolated);
            assertFalse(staticBoolean(oneClock, "REACTOR"));
            assertFalse(staticBoolean(oneClock, "RXJAVA"));

            Class<?> testLoopClass = Class.forName("dev.asyncio.test.TestLoop", true, isolated);
            Class<?> voidCoroutine = Class.forName("dev.asyncio.VoidCoroutine", true, isolated);
            Class<?> asyncio = Class.forName("dev.asyncio.Asyncio", true, isolated);
            Method sleep = asyncio.getMethod("sleep", Duration.class);
            Object body = Proxy.newProxyInstance(isolated, new Class<?>[] {voidCoroutine}, (proxy, method, args) -> {
                if (method.getName().equals("run")) {
                    sleep.invoke(null, Duration.ofHours(3));
                    return null;
                }
                return method.isDefault() ? java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args) : null;
            });
            Object testLoop = testLoopClass.getMethod("create").invoke(null);
            try {
                testLoopClass.getMethod("run", voidCoroutine).invoke(testLoop, body);
                assertEquals(Duration.ofHours(3), testLoopClass.getMethod("currentTime").invoke(testLoop));
            } finally {
                testLoopClass.getMethod("close").invoke(testLoop);
            }
            // Loaded lazily, so never loaded here: they would fail to link without the libraries.
            assertFalse(isLoaded(isolated, "dev.asyncio.test.ReactorOneClock"));
            assertFalse(isLoaded(isolated, "dev.asyncio.test.RxOneClock"));
        }
    }

    private static boolean staticBoolean(Class<?> c, String name) throws ReflectiveOperationException {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.getBoolean(null);
    }

    private static boolean isLoaded(ClassLoader loader, String name) throws ReflectiveOperationException {
        Method m = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
        try {
            m.setAccessible(true);
        } catch (RuntimeException notOpen) {
            return false; // java.lang is not opened in this run: the run above already proved the point
        }
        return m.invoke(loader, name) != null;
    }
}
