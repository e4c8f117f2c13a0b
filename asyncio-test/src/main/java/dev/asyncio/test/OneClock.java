package dev.asyncio.test;

import dev.asyncio.EventLoop;
import dev.asyncio.internal.OneClockBridge;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The "one clock" of a test loop: while it is open, Reactor's and RxJava's schedulers run on the loop
 * and its virtual clock, so that {@code Mono.delay}, {@code Flux.interval}, {@code Observable.timer} and
 * coroutine sleeps advance together, in deadline order.
 *
 * <p><b>Discovery.</b> The bridge modules (asyncio-reactor, asyncio-rxjava) provide the service
 * {@link OneClockBridge}, found here with {@link ServiceLoader} once per JVM: a bridge on the class path
 * or module path takes part, and this module needs neither (nor their libraries) to compile or run.
 *
 * <p><b>Global hooks, parallel tests.</b> Reactor's scheduler factory and RxJava's scheduler handlers
 * are JVM-wide. Rather than serializing every test that uses them, each bridge installs its hooks once
 * while at least one test loop is attached (the previous factory and handlers come back when the last
 * one detaches) and <em>routes per thread</em>: a scheduler call made on the turn of a test loop (from
 * its coroutines and callbacks, which is where Reactor and RxJava run once their schedulers are the
 * loop) goes to that loop; a call from any other thread goes to an ordinary, real-time scheduler. Tests
 * may therefore run in parallel, each with its own clock, next to tests that use Reactor or RxJava in
 * real time. Limits: a scheduler obtained before the test (e.g. {@code Schedulers.parallel()} kept in a
 * static field, or an RxJava source assembled outside the test) may keep real time, and code that
 * resets the hooks itself ({@code Schedulers.resetFactory()}, {@code RxJavaPlugins.reset()}) while a
 * test runs undoes the routing.
 */
final class OneClock {
    /** The bridges on the path, loaded once: each keeps the count of the loops attached to it. */
    static final List<OneClockBridge> BRIDGES = load();

    private final EventLoop loop;
    private final List<OneClockBridge> attached = new ArrayList<>();

    private OneClock(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * Binds the present bridges' schedulers to {@code testLoop} until {@link #detach()}.
     *
     * @return the binding, or {@code null} if no bridge is present
     * @throws IllegalStateException if a library refuses the hooks (RxJava's plugins locked down)
     */
    static OneClock attach(TestLoop testLoop) {
        if (BRIDGES.isEmpty()) {
            return null;
        }
        OneClock c = new OneClock(testLoop.loop());
        try {
            for (OneClockBridge bridge : BRIDGES) {
                bridge.attach(c.loop);
                c.attached.add(bridge);
            }
        } catch (RuntimeException refused) {
            c.detach();
            throw refused;
        }
        return c;
    }

    /** Unbinds; the last test loop to detach restores the previous factory and handlers. */
    void detach() {
        for (OneClockBridge bridge : attached) {
            bridge.detach(loop);
        }
        attached.clear();
    }

    private static List<OneClockBridge> load() {
        List<OneClockBridge> found = new ArrayList<>();
        ServiceLoader.load(OneClockBridge.class, OneClock.class.getClassLoader()).forEach(found::add);
        return List.copyOf(found);
    }
}
