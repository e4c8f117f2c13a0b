package dev.asyncio.test;

import dev.asyncio.EventLoop;
import dev.asyncio.internal.LoopInternals;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The "one clock" of a test loop: while it is open, Reactor's and RxJava's schedulers run on the loop
 * and its virtual clock, so that {@code Mono.delay}, {@code Flux.interval}, {@code Observable.timer} and
 * coroutine sleeps advance together, in deadline order.
 *
 * <p><b>Discovery.</b> Each library is looked up once with {@link Class#forName}; the classes that
 * refer to it ({@link ReactorOneClock}, {@link RxOneClock} and their schedulers) are loaded only when
 * it is present, so this module needs neither at run time.
 *
 * <p><b>Global hooks, parallel tests.</b> Reactor's scheduler factory and RxJava's scheduler handlers
 * are JVM-wide. Rather than serializing every test that uses them, the hooks are installed once while
 * at least one test loop with one clock is open (reference counted, the previous factory and handlers
 * restored when the last one closes) and <em>route per thread</em>: a scheduler call made on the turn of
 * a test loop (from its coroutines and callbacks, which is where Reactor and RxJava run once their
 * schedulers are the loop) goes to that loop's scheduler; a call from any other thread goes to an
 * ordinary, real-time scheduler. Tests may therefore run in parallel, each with its own clock, next to
 * tests that use Reactor or RxJava in real time. Limits: a scheduler obtained before the test (e.g.
 * {@code Schedulers.parallel()} kept in a static field, or an RxJava source assembled outside the test)
 * may keep real time, and code that resets the hooks itself ({@code Schedulers.resetFactory()},
 * {@code RxJavaPlugins.reset()}) while a test runs undoes the routing.
 */
final class OneClock {
    static final boolean REACTOR = present("reactor.core.scheduler.Schedulers");
    static final boolean RXJAVA = present("io.reactivex.rxjava3.plugins.RxJavaPlugins");
    private static final Map<EventLoop, OneClock> DRIVEN = new ConcurrentHashMap<>();

    final TestLoop testLoop;
    /** A {@code reactor.core.scheduler.Scheduler}, or {@code null} without Reactor. */
    final Object reactorScheduler;
    /** An {@code io.reactivex.rxjava3.core.Scheduler}, or {@code null} without RxJava. */
    final Object rxScheduler;

    private OneClock(TestLoop testLoop) {
        this.testLoop = testLoop;
        this.reactorScheduler = REACTOR ? ReactorOneClock.schedulerFor(testLoop) : null;
        this.rxScheduler = RXJAVA ? RxOneClock.schedulerFor(testLoop) : null;
    }

    /**
     * Binds the present libraries' schedulers to {@code testLoop} until {@link #detach()}.
     *
     * @return the binding, or {@code null} if neither library is present
     * @throws IllegalStateException if RxJava's plugins are locked down
     */
    static OneClock attach(TestLoop testLoop) {
        if (!REACTOR && !RXJAVA) {
            return null;
        }
        OneClock c = new OneClock(testLoop);
        if (RXJAVA) {
            RxOneClock.attach();
        }
        if (REACTOR) {
            ReactorOneClock.attach();
        }
        DRIVEN.put(testLoop.loop(), c);
        return c;
    }

    /** Unbinds; the last test loop to detach restores the previous factory and handlers. */
    void detach() {
        if (DRIVEN.remove(testLoop.loop(), this)) {
            if (REACTOR) {
                ReactorOneClock.detach();
            }
            if (RXJAVA) {
                RxOneClock.detach();
            }
        }
    }

    /** @return the binding of the test loop whose turn the calling thread holds, or {@code null} */
    static OneClock ofCurrentThread() {
        if (DRIVEN.isEmpty() || !LoopHost.mayHoldTurn(Thread.currentThread())) {
            return null;
        }
        EventLoop loop = LoopInternals.runningLoopOrNull();
        return loop == null ? null : DRIVEN.get(loop);
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, OneClock.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }
}
