package dev.asyncio.rxjava3.internal;

import dev.asyncio.EventLoop;
import dev.asyncio.internal.OneClockBridge;
import dev.asyncio.internal.SchedulerRouting;
import dev.asyncio.rxjava3.RxCoroutines;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.functions.Function;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;

/**
 * RxJava's {@link OneClockBridge}, found by the test kit through {@link java.util.ServiceLoader}:
 * scheduler handlers ({@link RxJavaPlugins#setComputationSchedulerHandler}, {@code setIoSchedulerHandler},
 * {@code setNewThreadSchedulerHandler}, {@code setSingleSchedulerHandler}) that return the attached test
 * loop as a scheduler ({@link RxCoroutines#asScheduler(EventLoop)}) when {@code Schedulers.computation()}
 * and friends are called on its turn, and otherwise whatever the previous handler (or RxJava's default)
 * returns. RxJava asks for a scheduler when a source is assembled ({@code Observable.timer(...)}), so
 * sources must be assembled inside the test to run on its clock. Not an API: public only for the
 * service loader.
 */
public final class RxOneClockBridge extends SchedulerRouting<Scheduler> {
    private Function<? super Scheduler, ? extends Scheduler> previousComputation;
    private Function<? super Scheduler, ? extends Scheduler> previousIo;
    private Function<? super Scheduler, ? extends Scheduler> previousNewThread;
    private Function<? super Scheduler, ? extends Scheduler> previousSingle;

    /** Created by the {@link java.util.ServiceLoader}. */
    public RxOneClockBridge() {
        super(RxCoroutines::asScheduler);
    }

    @Override
    protected void installHooks() {
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

    @Override
    protected void removeHooks() {
        if (!RxJavaPlugins.isLockdown()) {
            RxJavaPlugins.setComputationSchedulerHandler(previousComputation);
            RxJavaPlugins.setIoSchedulerHandler(previousIo);
            RxJavaPlugins.setNewThreadSchedulerHandler(previousNewThread);
            RxJavaPlugins.setSingleSchedulerHandler(previousSingle);
        }
        previousComputation = previousIo = previousNewThread = previousSingle = null;
    }

    private Function<Scheduler, Scheduler> route(Function<? super Scheduler, ? extends Scheduler> previous) {
        return standard -> {
            Scheduler onLoop = schedulerOfCurrentThread();
            if (onLoop != null) {
                return onLoop;
            }
            return previous == null ? standard : previous.apply(standard);
        };
    }
}
