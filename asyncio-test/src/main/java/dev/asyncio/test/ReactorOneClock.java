package dev.asyncio.test;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Reactor's side of {@link OneClock}: a {@link Schedulers.Factory} installed with
 * {@link Schedulers#setFactoryWithSnapshot} (and undone with {@link Schedulers#resetFrom}) whose
 * schedulers route each call to the test loop of the calling thread, or else to a real scheduler made
 * by Reactor's default factory. Loaded only when Reactor is on the class path.
 */
final class ReactorOneClock {
    private static int users;
    private static Schedulers.Snapshot snapshot;

    private ReactorOneClock() {
    }

    static Object schedulerFor(TestLoop testLoop) {
        return new ReactorLoopScheduler(testLoop);
    }

    static synchronized void attach() {
        if (users++ == 0) {
            snapshot = Schedulers.setFactoryWithSnapshot(new RoutingFactory());
        }
    }

    static synchronized void detach() {
        if (--users == 0) {
            Schedulers.Snapshot s = snapshot;
            snapshot = null;
            Schedulers.resetFrom(s);
        }
    }

    /** Every scheduler Reactor makes while the hook is installed routes per thread. */
    private static final class RoutingFactory implements Schedulers.Factory {
        @Override
        public Scheduler newBoundedElastic(int threadCap, int queuedTaskCap, ThreadFactory threadFactory, int ttlSeconds) {
            return new RoutingScheduler(() -> Schedulers.Factory.super.newBoundedElastic(threadCap, queuedTaskCap, threadFactory, ttlSeconds));
        }

        @Override
        public Scheduler newThreadPerTaskBoundedElastic(int threadCap, int queuedTaskCap, ThreadFactory threadFactory) {
            return new RoutingScheduler(() -> Schedulers.Factory.super.newThreadPerTaskBoundedElastic(threadCap, queuedTaskCap, threadFactory));
        }

        @Override
        public Scheduler newParallel(int parallelism, ThreadFactory threadFactory) {
            return new RoutingScheduler(() -> Schedulers.Factory.super.newParallel(parallelism, threadFactory));
        }

        @Override
        public Scheduler newSingle(ThreadFactory threadFactory) {
            return new RoutingScheduler(() -> Schedulers.Factory.super.newSingle(threadFactory));
        }
    }

    /**
     * On a test loop's turn: that loop's {@link ReactorLoopScheduler}. Elsewhere: a real scheduler,
     * created on first use, disposed with this one.
     */
    private static final class RoutingScheduler implements Scheduler {
        private final Supplier<Scheduler> realFactory;
        private volatile Scheduler real;
        private volatile boolean disposed;

        RoutingScheduler(Supplier<Scheduler> realFactory) {
            this.realFactory = realFactory;
        }

        private Scheduler target() {
            OneClock c = OneClock.ofCurrentThread();
            return c != null ? (Scheduler) c.reactorScheduler : real();
        }

        private Scheduler real() {
            Scheduler r = real;
            if (r == null) {
                synchronized (this) {
                    r = real;
                    if (r == null) {
                        r = realFactory.get();
                        r.init();
                        if (disposed) {
                            r.dispose();
                        }
                        real = r;
                    }
                }
            }
            return r;
        }

        @Override
        public Disposable schedule(Runnable task) {
            return target().schedule(task);
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            return target().schedule(task, delay, unit);
        }

        @Override
        public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
            return target().schedulePeriodically(task, initialDelay, period, unit);
        }

        @Override
        public long now(TimeUnit unit) {
            return target().now(unit);
        }

        @Override
        public Worker createWorker() {
            return target().createWorker();
        }

        @Override
        public void init() {
            // the real scheduler is made and started on first use off a test loop
        }

        @Override
        public void dispose() {
            Scheduler r;
            synchronized (this) {
                disposed = true;
                r = real;
            }
            if (r != null) {
                r.dispose();
            }
        }

        @Override
        public Mono<Void> disposeGracefully() {
            Scheduler r;
            synchronized (this) {
                disposed = true;
                r = real;
            }
            return r != null ? r.disposeGracefully() : Mono.empty();
        }

        @Override
        public boolean isDisposed() {
            return disposed;
        }

        @Override
        public String toString() {
            return "OneClockRouting[" + (real != null ? real : "no real scheduler yet") + "]";
        }
    }
}
