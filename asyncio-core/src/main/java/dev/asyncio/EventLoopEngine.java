package dev.asyncio;

import dev.asyncio.engine.LoopEngine;
import java.util.Random;

/**
 * The {@link LoopEngine} of one {@link EventLoop}, implemented on the loop's package-private parts (its
 * turn, off-turn threads, activity and work count); its class initializer installs the directory that maps
 * loops to engines, before the first loop exists.
 */
final class EventLoopEngine extends LoopEngine {
    static {
        LoopEngine.install(new Directory() {
            @Override
            public LoopEngine engineOf(Object loop) {
                return ((EventLoop) loop).engine;
            }

            @Override
            public LoopEngine running() {
                EventLoop loop = LoopRegistry.runningLoop();
                return loop == null ? null : loop.engine;
            }
        });
    }

    private final EventLoop loop;

    EventLoopEngine(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public boolean isOnTurn() {
        return loop.isOnTurn();
    }

    @Override
    public boolean runsTask() {
        return loop.currentTask != null;
    }

    @Override
    public boolean hasVirtualClock() {
        return loop.getClock().isVirtual();
    }

    @Override
    public void externalWork(int delta) {
        if (delta > 0) {
            loop.beginExternalWork();
        } else {
            loop.endExternalWork();
        }
    }

    @Override
    public int externalWorkInFlight() {
        return loop.externalWorkInFlight();
    }

    @Override
    public void startHelper(String name, Runnable body) {
        loop.offTurn.startHelper(name, body);
    }

    @Override
    public Runnable atClose(Runnable action) {
        return loop.offTurn.atClose(action);
    }

    @Override
    public void trackActivity() {
        loop.activity.track();
    }

    @Override
    public long busyNanos(long now) {
        return loop.activity.busyNanos(now);
    }

    @Override
    public void setReadyOrderShuffle(Random random) {
        loop.setReadyOrderShuffle(random);
    }
}
