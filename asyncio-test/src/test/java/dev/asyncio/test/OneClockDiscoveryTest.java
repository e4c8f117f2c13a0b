package dev.asyncio.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.asyncio.EventLoop;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bridges are discovered as services, not required: with asyncio-reactor and asyncio-rxjava on the
 * class path both take part in the one clock; loaded through a class loader that sees only the core and
 * this module, none is found and a test loop works.
 */
class OneClockDiscoveryTest {

    @Test
    void bothBridgesAreFoundAsServices() {
        List<String> found = OneClock.BRIDGES.stream().map(b -> b.getClass().getName()).sorted().toList();
        assertEquals(List.of("dev.asyncio.reactor.internal.ReactorOneClockBridge", "dev.asyncio.rxjava3.internal.RxOneClockBridge"),
                found);
    }

    @Test
    void withoutReactorAndRxJavaTheTestLoopStillWorks() throws Exception {
        URL core = EventLoop.class.getProtectionDomain().getCodeSource().getLocation();
        URL kit = TestLoop.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {core, kit}, ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName("reactor.core.scheduler.Schedulers", false, isolated));
            Class<?> oneClock = Class.forName("dev.asyncio.test.OneClock", true, isolated);
            assertEquals(List.of(), staticField(oneClock, "BRIDGES"), "no bridge on this class path");

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
        }
    }

    private static Object staticField(Class<?> c, String name) throws ReflectiveOperationException {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(null);
    }
}
