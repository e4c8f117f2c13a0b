package dev.asyncio;

import dev.asyncio.internal.LoopInternals;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The {@code dev.asyncio} side of {@link LoopInternals}: the package-private parts that the project's
 * other packages and modules need, behind one narrow interface; {@link LoopInternals} instantiates it
 * reflectively on first use (hence the constructor, which nothing else calls).
 */
final class LoopInternalsAccess implements LoopInternals.Access {
    LoopInternalsAccess() {
    }

    @Override
    public boolean isOnTurn(EventLoop loop) {
        return loop.isOnTurn();
    }

    @Override
    public void externalWork(EventLoop loop, int delta) {
        if (delta > 0) {
            loop.beginExternalWork();
        } else {
            loop.endExternalWork();
        }
    }

    @Override
    public int externalWorkInFlight(EventLoop loop) {
        return loop.externalWorkInFlight();
    }

    @Override
    public Task<?> currentTaskOrNull() {
        EventLoop loop = LoopRegistry.runningLoop();
        return loop == null ? null : loop.currentTask;
    }

    @Override
    public EventLoop runningLoopOrNull() {
        return LoopRegistry.runningLoop();
    }

    @Override
    public void setReadyOrderShuffle(EventLoop loop, Random random) {
        loop.setReadyOrderShuffle(random);
    }

    @Override
    public void startHelper(EventLoop loop, String name, Runnable body) {
        loop.offTurn.startHelper(name, body);
    }

    @Override
    public Runnable atClose(EventLoop loop, Runnable action) {
        return loop.offTurn.atClose(action);
    }

    @Override
    public <T> void addDoneCallbackFromAnyThread(Future<T> future, Consumer<? super Future<T>> callback) {
        future.addDoneCallbackFromAnyThread(callback);
    }

    @Override
    public void trackActivity(EventLoop loop) {
        loop.activity.track();
    }

    @Override
    public long busyNanos(EventLoop loop, long now) {
        return loop.activity.busyNanos(now);
    }

    @Override
    public Task<?> currentTaskOf(EventLoop loop) {
        return loop.currentTask;
    }

    @Override
    public Thread turnHolder(EventLoop loop) {
        return loop.turn.holder();
    }

    @Override
    public int readyCount(EventLoop loop) {
        return loop.readyCount();
    }
}
