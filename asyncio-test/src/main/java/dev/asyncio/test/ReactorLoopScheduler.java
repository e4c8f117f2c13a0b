package dev.asyncio.test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A Reactor {@link Scheduler} whose time is a test loop's virtual clock and whose work runs on the
 * loop: immediate tasks as callbacks, delayed ones as loop timers that fire in deadline order with
 * coroutine sleeps, periodic ones at a fixed rate. Tasks run on the loop's turn, one at a time, which
 * satisfies a {@link Worker}'s promise of serial execution. Reactor's {@link Schedulers#onSchedule}
 * hooks apply. An exception thrown by a task reaches the loop's exception handler and so fails the
 * test. It lives as long as its test loop; {@link #dispose()} does nothing.
 */
final class ReactorLoopScheduler implements Scheduler {
    private final TestLoop testLoop;

    ReactorLoopScheduler(TestLoop testLoop) {
        this.testLoop = testLoop;
    }

    @Override
    public Disposable schedule(Runnable task) {
        return submit(task, 0, -1, null);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        return submit(task, unit.toNanos(delay), -1, null);
    }

    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return submit(task, unit.toNanos(initialDelay), Math.max(0, unit.toNanos(period)), null);
    }

    private Disposable submit(Runnable task, long delayNanos, long periodNanos, Set<ScheduledRun> group) {
        return new RunDisposable(ScheduledRun.schedule(testLoop, Schedulers.onSchedule(task), delayNanos, periodNanos, group));
    }

    @Override
    public long now(TimeUnit unit) {
        return unit.convert(testLoop.currentTimeNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public Worker createWorker() {
        return new LoopWorker();
    }

    @Override
    public void dispose() {
        // owned by the test loop
    }

    @Override
    public boolean isDisposed() {
        return testLoop.isClosed();
    }

    @Override
    public String toString() {
        return "ReactorLoopScheduler[" + testLoop + "]";
    }

    private final class LoopWorker implements Worker {
        private final Set<ScheduledRun> runs = ConcurrentHashMap.newKeySet();
        private volatile boolean disposed;

        @Override
        public Disposable schedule(Runnable task) {
            return schedule(task, 0, TimeUnit.NANOSECONDS);
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            return add(task, unit.toNanos(delay), -1);
        }

        @Override
        public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
            return add(task, unit.toNanos(initialDelay), Math.max(0, unit.toNanos(period)));
        }

        private Disposable add(Runnable task, long delayNanos, long periodNanos) {
            if (disposed) {
                throw Exceptions.failWithRejected();
            }
            Disposable d = submit(task, delayNanos, periodNanos, runs);
            if (disposed) {
                d.dispose();
                throw Exceptions.failWithRejected();
            }
            return d;
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
