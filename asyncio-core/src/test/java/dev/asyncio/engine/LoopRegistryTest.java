package dev.asyncio.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.CarrierMode;
import dev.asyncio.Clock;
import dev.asyncio.EventLoop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Which loop a thread runs: the running loop seen from a task thread of each carrier mode, from several
 * loops running at once, and from threads that run none.
 */
class LoopRegistryTest {

    /** A loop-carrier task finds its loop through its carrier, the host: no thread-local map on its thread. */
    @Test
    void aLoopCarrierTaskFindsItsLoopWithoutAThreadLocalMap() throws Exception {
        assumeTrue(CarrierMode.loopCarrierAvailable(), "LOOP_CARRIER needs --add-opens java.base/java.lang");
        VarHandle threadLocals = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                .findVarHandle(Thread.class, "threadLocals", Class.forName("java.lang.ThreadLocal$ThreadLocalMap"));
        try (EventLoop loop = new EventLoop(Clock.system(), CarrierMode.LOOP_CARRIER)) {
            Object[] seen = loop.runUntilComplete(() -> loop.createTask(() -> {
                EventLoop running = Asyncio.getRunningLoop();
                Asyncio.sleep(Duration.ZERO); // and again after a suspension
                return new Object[] {running, Asyncio.getRunningLoop(), threadLocals.get(Thread.currentThread())};
            }).await());
            assertSame(loop, seen[0]);
            assertSame(loop, seen[1]);
            assertNull(seen[2], "a task thread of a loop-carrier loop has no thread-local map (136 B per parked task)");
        }
    }

    /** Each of several loops running at once, in both modes, is the running loop of its own tasks only. */
    @Test
    void loopsRunningAtOnceOnTheirOwnHostsEachSeeTheirOwn() throws Exception {
        List<CarrierMode> modes = new ArrayList<>(List.of(CarrierMode.PORTABLE, CarrierMode.PORTABLE));
        if (CarrierMode.loopCarrierAvailable()) {
            modes.add(CarrierMode.LOOP_CARRIER);
            modes.add(CarrierMode.LOOP_CARRIER);
        }
        int n = modes.size();
        CountDownLatch allRunning = new CountDownLatch(n);
        List<Thread> hosts = new ArrayList<>();
        List<AtomicReference<Object>> outcomes = new ArrayList<>();
        for (CarrierMode mode : modes) {
            AtomicReference<Object> outcome = new AtomicReference<>();
            outcomes.add(outcome);
            hosts.add(Thread.ofPlatform().start(() -> {
                try (EventLoop loop = new EventLoop(Clock.system(), mode)) {
                    outcome.set(loop.runUntilComplete(() -> {
                        allRunning.countDown();
                        // Wait, suspending, until every loop runs, so that each lookup happens among all of them.
                        while (allRunning.getCount() > 0) {
                            Asyncio.sleep(Duration.ofMillis(1));
                        }
                        List<EventLoop> seen = Asyncio.gather(List.of(
                                loop.createTask(Asyncio::getRunningLoop),
                                loop.createTask(() -> {
                                    Asyncio.sleep(Duration.ZERO);
                                    return Asyncio.getRunningLoop();
                                }))).await();
                        return seen.get(0) == loop && seen.get(1) == loop ? "own" : "saw " + seen + ", not " + loop;
                    }));
                } catch (Throwable e) {
                    outcome.set(e);
                }
            }));
        }
        for (Thread h : hosts) {
            h.join();
        }
        for (int i = 0; i < n; i++) {
            assertEquals("own", outcomes.get(i).get(), "loop " + i + " (" + modes.get(i) + ")");
        }
    }

    /** A virtual or platform thread that runs no loop has no running loop, whatever loops run meanwhile. */
    @Test
    void threadsOfNoLoopHaveNoRunningLoopWhileLoopsRun() throws Exception {
        CarrierMode mode = CarrierMode.loopCarrierAvailable() ? CarrierMode.LOOP_CARRIER : CarrierMode.PORTABLE;
        try (EventLoop loop = new EventLoop(Clock.system(), mode)) {
            Object[] seen = loop.runUntilComplete(() -> {
                Object[] r = new Object[2];
                Thread v = Thread.ofVirtual().start(() -> r[0] = LoopRegistry.running());
                Thread p = Thread.ofPlatform().start(() -> r[1] = LoopRegistry.running());
                Asyncio.toThread(() -> {
                    v.join();
                    p.join();
                    return null;
                });
                return r;
            });
            assertNull(seen[0], "a virtual thread that runs no loop");
            assertNull(seen[1], "a platform thread that runs no loop");
        }
    }
}
