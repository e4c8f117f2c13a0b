package dev.asyncio.test;

import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An RxJava {@link Scheduler} whose time is a test loop's virtual clock and whose work runs on the
 * loop: immediate tasks as callbacks, delayed ones as loop timers that fire in deadline order with
 * coroutine sleeps, periodic ones at a fixed rate. Tasks run on the loop's turn, one at a time, which
 * satisfies a {@link Worker}'s promise of serial execution. {@link RxJavaPlugins#onSchedule} hooks
 * apply. An exception thrown by a task reaches the loop's exception handler and so fails the test.
 * Work scheduled after the test loop closed is reported to {@link RxJavaPlugins#onError} and dropped.
 */
final class RxLoopScheduler extends Scheduler {
    private final TestLoop testLoop;

    RxLoopScheduler(TestLoop testLoop) {
        this.testLoop = testLoop;
    }

    @Override
    public Worker createWorker() {
        return new LoopWorker();
    }

    @Override
    public long now(TimeUnit unit) {
        return unit.convert(testLoop.currentTimeNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public Disposable scheduleDirect(Runnable run, long delay, TimeUnit unit) {
        return submit(run, unit.toNanos(delay), -1, null);
    }

    @Override
    public Disposable schedulePeriodicallyDirect(Runnable run, long initialDelay, long period, TimeUnit unit) {
        return submit(run, unit.toNanos(initialDelay), Math.max(0, unit.toNanos(period)), null);
    }

    private Disposable submit(Runnable run, long delayNanos, long periodNanos, Set<ScheduledRun> group) {
        try {
            return new RunDisposable(ScheduledRun.schedule(testLoop, RxJavaPlugins.onSchedule(run), delayNanos, periodNanos, group));
        } catch (RejectedExecutionException closed) {
            RxJavaPlugins.onError(closed);
            return Disposable.disposed();
        }
    }

    @Override
    public String toString() {
        return "RxLoopScheduler[" + testLoop + "]";
    }

    private final class LoopWorker extends Worker {
        private final Set<ScheduledRun> runs = ConcurrentHashMap.newKeySet();
        private volatile boolean disposed;

        @Override
        public Disposable schedule(Runnable run, long delay, TimeUnit unit) {
            return add(run, unit.toNanos(delay), -1);
        }

        @Override
        public Disposable schedulePeriodically(Runnable run, long initialDelay, long period, TimeUnit unit) {
            return add(run, unit.toNanos(initialDelay), Math.max(0, unit.toNanos(period)));
        }

        private Disposable add(Runnable run, long delayNanos, long periodNanos) {
            if (disposed) {
                return Disposable.disposed();
            }
            Disposable d = submit(run, delayNanos, periodNanos, runs);
            if (disposed) {
                d.dispose();
            }
            return d;
        }

        @Override
        public long now(TimeUnit unit) {
            return RxLoopScheduler.this.now(unit);
        }

        @Override
        public void dispose() {
            disposed = true;
            for (ScheduledRun r : runs) {
                r.cancel();
            }
        }

        @Override
        public boolean isDisposed() {
            return disposed;
        }
    }

    private record RunDisposable(ScheduledRun run) implements Disposable {
        @Override
        public void dispose() {
            run.cancel();
        }

        @Override
        public boolean isDisposed() {
            return run.isDisposed();
        }
    }
}
