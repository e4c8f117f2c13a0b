package dev.asyncio.rxjava3;

import dev.asyncio.internal.LoopInternals;
import dev.asyncio.EventLoop;
import dev.asyncio.Handle;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.disposables.CompositeDisposable;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.disposables.DisposableContainer;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link RxCoroutines#asScheduler}: an event loop as an RxJava {@link Scheduler}. Work runs as loop
 * callbacks on the loop's turn; delays use the loop's timers and {@link #now} reads the loop's clock, so
 * that a virtual clock moves RxJava's timed operators on this scheduler too.
 */
final class LoopScheduler extends Scheduler {
    private final EventLoop loop;

    LoopScheduler(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    @Override
    public long now(TimeUnit unit) {
        return unit.convert(loop.timeNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public Disposable scheduleDirect(Runnable run, long delay, TimeUnit unit) {
        Work work = new Work(RxJavaPlugins.onSchedule(Objects.requireNonNull(run, "run")), null);
        work.submit(loop, delay, unit);
        return work;
    }

    @Override
    public Worker createWorker() {
        return new LoopWorker(loop);
    }

    @Override
    public String toString() {
        return "LoopScheduler[" + loop + "]";
    }

    /**
     * A worker: its immediate tasks run in submission order, never overlapping (they all run on the
     * loop's turn), drained by one loop callback per burst rather than one threadsafe call per task;
     * delayed tasks are loop timers. {@link #dispose()} drops everything not yet started.
     */
    private static final class LoopWorker extends Worker {
        private final EventLoop loop;
        private final CompositeDisposable tasks = new CompositeDisposable();
        private final ConcurrentLinkedQueue<Work> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger pending = new AtomicInteger();

        LoopWorker(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public long now(TimeUnit unit) {
            return unit.convert(loop.timeNanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public Disposable schedule(Runnable run, long delay, TimeUnit unit) {
            Objects.requireNonNull(run, "run");
            if (tasks.isDisposed()) {
                return Disposable.disposed();
            }
            Work work = new Work(RxJavaPlugins.onSchedule(run), tasks);
            if (!tasks.add(work)) {
                return Disposable.disposed();
            }
            if (delay > 0) {
                work.submit(loop, delay, unit);
            } else {
                queue.offer(work);
                if (pending.getAndIncrement() == 0) {
                    try {
                        // Never inline on the caller's stack, even on the loop's turn: a task that schedules
                        // the next one must not recurse.
                        if (LoopInternals.isOnTurn(loop)) {
                            loop.callSoon(this::drain);
                        } else {
                            LoopDispatch.run(loop, this::drain);
                        }
                    } catch (IllegalStateException loopClosed) {
                        work.dispose();
                        queue.clear();
                        pending.set(0);
                        RxJavaPlugins.onError(loopClosed);
                        return Disposable.disposed();
                    }
                }
            }
            return work;
        }

        private void drain() {
            int missed = 1;
            do {
                Work w;
                while ((w = queue.poll()) != null) {
                    if (!tasks.isDisposed()) {
                        w.run();
                    }
                }
                missed = pending.addAndGet(-missed);
            } while (missed != 0);
        }

        @Override
        public void dispose() {
            tasks.dispose();
            queue.clear();
        }

        @Override
        public boolean isDisposed() {
            return tasks.isDisposed();
        }
    }

    /** One scheduled runnable: runs at most once, unless disposed first; errors go to RxJavaPlugins. */
    private static final class Work extends AtomicBoolean implements Runnable, Disposable {
        private final Runnable run;
        private final DisposableContainer parent;
        private volatile Handle timer;

        Work(Runnable run, DisposableContainer parent) {
            this.run = run;
            this.parent = parent;
        }

        /**
         * Schedules this work on the loop: a timer if delayed, else a later iteration (one threadsafe call
         * from another thread, a {@code callSoon} on the loop's turn; never inline).
         */
        void submit(EventLoop loop, long delay, TimeUnit unit) {
            long nanos = unit.toNanos(Math.max(0, delay));
            try {
                if (LoopInternals.isOnTurn(loop)) {
                    timer = nanos == 0 ? loop.callSoon(this) : loop.callLater(Duration.ofNanos(nanos), this);
                } else if (nanos == 0) {
                    LoopDispatch.run(loop, this);
                } else {
                    LoopDispatch.run(loop, () -> {
                        if (!get()) {
                            timer = loop.callLater(Duration.ofNanos(nanos), this);
                        }
                    });
                }
            } catch (IllegalStateException loopClosed) {
                dispose();
                RxJavaPlugins.onError(loopClosed);
            }
        }

        @Override
        public void run() {
            if (!compareAndSet(false, true)) {
                return;
            }
            try {
                run.run();
            } catch (Throwable e) {
                RxJavaPlugins.onError(e);
            } finally {
                if (parent != null) {
                    parent.delete(this);
                }
            }
        }

        @Override
        public void dispose() {
            if (compareAndSet(false, true)) {
                Handle h = timer;
                if (h != null) {
                    h.cancel();
                }
                if (parent != null) {
                    parent.delete(this);
                }
            }
        }

        @Override
        public boolean isDisposed() {
            return get();
        }
    }
}
