package dev.asyncio.test;

import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.functions.Function;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;

/**
 * RxJava's side of {@link OneClock}: scheduler handlers ({@link RxJavaPlugins#setComputationSchedulerHandler},
 * {@code setIoSchedulerHandler}, {@code setNewThreadSchedulerHandler}, {@code setSingleSchedulerHandler})
 * that return the test loop's {@link RxLoopScheduler} when {@code Schedulers.computation()} and friends
 * are called on a test loop's turn, and otherwise whatever the previous handler (or RxJava's default)
 * returns. The previous handlers come back when the last test loop detaches. Loaded only when RxJava is
 * on the class path.
 *
 * <p>RxJava asks for a scheduler when a source is assembled ({@code Observable.timer(...)}), so sources
 * must be assembled inside the test (in the test body or a task) to run on its clock.
 */
final class RxOneClock {
    private static int users;
    private static Function<? super Scheduler, ? extends Scheduler> previousComputation;
    private static Function<? super Scheduler, ? extends Scheduler> previousIo;
    private static Function<? super Scheduler, ? extends Scheduler> previousNewThread;
    private static Function<? super Scheduler, ? extends Scheduler> previousSingle;

    private RxOneClock() {
    }

    static Object schedulerFor(TestLoop testLoop) {
        return new RxLoopScheduler(testLoop);
    }

    static synchronized void attach() {
        if (users == 0) {
            if (RxJavaPlugins.isLockdown()) {
                throw new IllegalStateException("RxJavaPlugins is locked down, so the test loop cannot drive RxJava's "
                        + "schedulers; turn the one clock off with @AsyncioTest(oneClock = false) or "
                        + "TestLoop.builder().oneClock(false)");
            }
            previousComputation = RxJavaPlugins.getComputationSchedulerHandler();
            previousIo = RxJavaPlugins.getIoSchedulerHandler();
            previousNewThread = RxJavaPlugins.getNewThreadSchedulerHandler();
            previousSingle = RxJavaPlugins.getSingleSchedulerHandler();
            RxJavaPlugins.setComputationSchedulerHandler(route(previousComputation));
            RxJavaPlugins.setIoSchedulerHandler(route(previousIo));
            RxJavaPlugins.setNewThreadSchedulerHandler(route(previousNewThread));
            RxJavaPlugins.setSingleSchedulerHandler(route(previousSingle));
        }
        users++;
    }

    static synchronized void detach() {
        if (--users == 0 && !RxJavaPlugins.isLockdown()) {
            RxJavaPlugins.setComputationSchedulerHandler(previousComputation);
            RxJavaPlugins.setIoSchedulerHandler(previousIo);
            RxJavaPlugins.setNewThreadSchedulerHandler(previousNewThread);
            RxJavaPlugins.setSingleSchedulerHandler(previousSingle);
            previousComputation = previousIo = previousNewThread = previousSingle = null;
        }
    }

    private static Function<Scheduler, Scheduler> route(Function<? super Scheduler, ? extends Scheduler> previous) {
        return standard -> {
            OneClock c = OneClock.ofCurrentThread();
            if (c != null) {
                return (Scheduler) c.rxScheduler;
            }
            return previous == null ? standard : previous.apply(standard);
        };
    }
}
