package dev.asyncio.reactor.internal;

import dev.asyncio.EventLoop;
import dev.asyncio.internal.OneClockBridge;
import dev.asyncio.internal.SchedulerRouting;
import dev.asyncio.reactor.ReactorCoroutines;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Reactor's {@link OneClockBridge}, found by the test kit through {@link java.util.ServiceLoader}: a
 * {@link Schedulers.Factory} installed with {@link Schedulers#setFactoryWithSnapshot} (undone with
 * {@link Schedulers#resetFrom}) whose schedulers route each call made on an attached test loop's turn
 * to that loop ({@link ReactorCoroutines#scheduler(EventLoop)}), and any other call to a real scheduler
 * made by Reactor's default factory. Not an API: public only for the service loader.
 */
public final class ReactorOneClockBridge extends SchedulerRouting<Scheduler> {
    private Schedulers.Snapshot snapshot;

    /** Created by the {@link java.util.ServiceLoader}. */
    public ReactorOneClockBridge() {
        super(ReactorCoroutines::scheduler);
    }

    @Override
    protected void installHooks() {
        snapshot = Schedulers.setFactoryWithSnapshot(new RoutingFactory());
    }

    @Override
    protected void removeHooks() {
        Schedulers.Snapshot s = snapshot;
        snapshot = null;
        Schedulers.resetFrom(s);
    }

    /** Every scheduler Reactor makes while the hook is installed routes per thread. */
    private final class RoutingFactory implements Schedulers.Factory {
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
     * On an attached loop's turn: that loop's scheduler (never disposed from here: the loop outlives
     * it). Elsewhere: a real scheduler, created on first use, disposed with this one.
     */
    private final class RoutingScheduler implements Scheduler {
        private final Supplier<Scheduler> realFactory;
        private volatile Scheduler real;
        private volatile boolean disposed;

        RoutingScheduler(Supplier<Scheduler> realFactory) {
            this.realFactory = realFactory;
        }

        private Scheduler target() {
            Scheduler onLoop = schedulerOfCurrentThread();
            return onLoop != null ? onLoop : real();
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
