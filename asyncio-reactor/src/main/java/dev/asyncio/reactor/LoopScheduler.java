package dev.asyncio.reactor;

import dev.asyncio.internal.LoopInternals;
import dev.asyncio.EventLoop;
import dev.asyncio.Handle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.Exceptions;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * An {@link EventLoop} as a Reactor {@link Scheduler}: tasks run as loop callbacks, on the loop's
 * turn, in FIFO order; delayed and periodic tasks use the loop's timers (and so its clock, virtual in
 * tests). {@code publishOn(scheduler)} moves signals onto the loop; {@code subscribeOn(scheduler)}
 * subscribes there.
 *
 * <p>Scheduling from the loop's turn is a plain {@code callSoon}/{@code callLater}; from another thread
 * it goes through {@code callSoonThreadsafe}. Tasks must not block: they run on the loop. An exception
 * thrown by a task goes to the loop's exception handler. Reactor's {@link Schedulers#onSchedule} hooks
 * decorate every task, as on Reactor's own schedulers. Disposing the scheduler (or a worker) stops
 * its pending tasks but leaves the loop alone.
 */
final class LoopScheduler implements Scheduler {
    private final EventLoop loop;
    private final Disposable.Composite tasks = Disposables.composite();
    /** The scheduler's own tasks: a worker over {@link #tasks}, disposed when the scheduler is. */
    private final LoopWorker direct = new LoopWorker(tasks);

    LoopScheduler(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    @Override
    public Disposable schedule(Runnable task) {
        return direct.schedule(task);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        return direct.schedule(task, delay, unit);
    }

    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return direct.schedulePeriodically(task, initialDelay, period, unit);
    }

    /** Under a virtual clock, the loop's time; else Reactor's default (wall-clock milliseconds). */
    @Override
    public long now(TimeUnit unit) {
        return loop.getClock().isVirtual() ? unit.convert(loop.timeNanos(), TimeUnit.NANOSECONDS) : Scheduler.super.now(unit);
    }

    @Override
    public Worker createWorker() {
        if (tasks.isDisposed()) {
            throw Exceptions.failWithRejected("this loop scheduler is disposed");
        }
        LoopWorker w = new LoopWorker(Disposables.composite());
        tasks.add(w);
        return w;
    }

    @Override
    public void dispose() {
        tasks.dispose();
    }

    @Override
    public boolean isDisposed() {
        return tasks.isDisposed();
    }

    EventLoop loop() {
        return loop;
    }

    private Disposable submit(Disposable.Composite owner, Runnable task, long delay, long period, TimeUnit unit) {
        Objects.requireNonNull(task, "task");
        if (owner.isDisposed()) {
            throw Exceptions.failWithRejected("the loop scheduler (or worker) is disposed");
        }
        if (loop.isClosed()) {
            throw Exceptions.failWithRejected("the event loop is closed: " + loop);
        }
        ScheduledTask t = new ScheduledTask(owner, Schedulers.onSchedule(task), unit.toNanos(Math.max(0, delay)), period <= 0 ? -1 : unit.toNanos(period));
        if (!owner.add(t)) {
            throw Exceptions.failWithRejected("the loop scheduler (or worker) is disposed");
        }
        if (LoopInternals.isOnTurn(loop)) {
            t.arm();
        } else {
            try {
                loop.callSoonThreadsafe(t::arm);
            } catch (IllegalStateException closed) {
                owner.remove(t);
                throw Exceptions.failWithRejected("the event loop is closed: " + loop);
            }
        }
        return t;
    }

    @Override
    public String toString() {
        return "LoopScheduler[" + loop + "]";
    }

    /** One scheduled (possibly periodic) task: its current loop handle, replaced at each period. */
    private final class ScheduledTask implements Disposable {
        private final Disposable.Composite owner;
        private final Runnable task;
        private final long delayNanos;
        private final long periodNanos;
        private volatile boolean disposed;
        private volatile Handle handle;
        private long nextRun = Long.MIN_VALUE;

        ScheduledTask(Disposable.Composite owner, Runnable task, long delayNanos, long periodNanos) {
            this.owner = owner;
            this.task = task;
            this.delayNanos = delayNanos;
            this.periodNanos = periodNanos;
        }

        /** On the loop's turn: schedule the first run. */
        void arm() {
            if (disposed) {
                return;
            }
            if (delayNanos == 0) {
                handle = loop.callSoon(this::run);
            } else {
                nextRun = loop.timeNanos() + delayNanos;
                handle = loop.callAtNanos(nextRun, this::run);
            }
        }

        private void run() {
            if (disposed) {
                return;
            }
            if (periodNanos < 0) {
                try {
                    task.run();
                } finally {
                    disposed = true;
                    owner.remove(this);
                }
                return;
            }
            // Fixed rate, as Reactor's schedulers: the next run is due one period after this one was due.
            long due = nextRun == Long.MIN_VALUE ? loop.timeNanos() : nextRun;
            nextRun = due + periodNanos;
            handle = loop.callAtNanos(nextRun, this::run);
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                dispose(); // a failing periodic task stops, as in Reactor
                throw e;
            }
        }

        @Override
        public void dispose() {
            if (!disposed) {
                disposed = true;
                Handle h = handle;
                if (h != null) {
                    h.cancel();
                }
                owner.remove(this);
            }
        }

        @Override
        public boolean isDisposed() {
            return disposed;
        }
    }

    /** A worker: its tasks run in submission order (FIFO on the loop); disposing it stops them all. */
    private final class LoopWorker implements Worker {
        private final Disposable.Composite workerTasks;

        LoopWorker(Disposable.Composite workerTasks) {
            this.workerTasks = workerTasks;
        }

        @Override
        public Disposable schedule(Runnable task) {
            return submit(workerTasks, task, 0, -1, TimeUnit.NANOSECONDS);
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            return submit(workerTasks, task, delay, -1, unit);
        }

        @Override
        public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
            return submit(workerTasks, task, initialDelay, period, unit);
        }

        @Override
        public void dispose() {
            workerTasks.dispose();
            tasks.remove(this);
        }

        @Override
        public boolean isDisposed() {
            return workerTasks.isDisposed();
        }
    }
}
