package dev.asyncio;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The virtual clock: auto-jump, manual advance from another thread, and no jump past outside work. */
class VirtualClockTest {

    @Test
    void autoJumpRunsAnHourOfSleepsInstantlyInDeadlineOrder() {
        List<String> order = new ArrayList<>();
        long wall = System.nanoTime();
        try (EventLoop loop = new EventLoop(new VirtualClock())) {
            loop.runUntilComplete(() -> {
                Task<Void> slow = createTask(() -> {
                    sleep(Duration.ofMinutes(50));
                    order.add("50 min at " + Asyncio.getRunningLoop().time());
                });
                Task<Void> fast = createTask(() -> {
                    sleep(Duration.ofMinutes(10));
                    order.add("10 min at " + Asyncio.getRunningLoop().time());
                    sleep(Duration.ofMinutes(50));
                    order.add("60 min at " + Asyncio.getRunningLoop().time());
                });
                Asyncio.gather(slow, fast).await();
                return null;
            });
        }
        assertEquals(List.of("10 min at 600.0", "50 min at 3000.0", "60 min at 3600.0"), order);
        assertTrue(System.nanoTime() - wall < Duration.ofSeconds(20).toNanos());
    }

    @Test
    void manualClockMovesOnlyWhenAdvancedFromAnotherThread() throws Exception {
        VirtualClock clock = new VirtualClock(false);
        try (EventLoop loop = new EventLoop(clock)) {
            List<Double> woke = new CopyOnWriteArrayList<>();
            Thread driver = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(30);
                    clock.advanceBy(Duration.ofSeconds(30));
                    Thread.sleep(30);
                    clock.advanceBy(Duration.ofSeconds(40));
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            loop.runUntilComplete(() -> {
                sleep(Duration.ofMinutes(1));
                woke.add(Asyncio.getRunningLoop().time());
                return null;
            });
            driver.join();
            assertEquals(List.of(70.0), woke, "woke at the first reading past the deadline, not before");
        }
    }

    @Test
    void autoJumpWaitsForExternalWorkInFlight() throws Exception {
        try (EventLoop loop = new EventLoop(new VirtualClock())) {
            List<String> events = new CopyOnWriteArrayList<>();
            loop.runUntilComplete(() -> {
                EventLoop l = Asyncio.getRunningLoop();
                Task<Void> sleeper = createTask(() -> {
                    sleep(Duration.ofHours(1));
                    events.add("sleeper woke at " + l.time());
                });
                l.beginExternalWork();
                Thread.ofPlatform().start(() -> {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        throw new RuntimeException(e);
                    }
                    l.callSoonThreadsafe(() -> events.add("external result at " + l.time()));
                    l.endExternalWork();
                });
                sleeper.await();
                return null;
            });
            assertEquals(List.of("external result at 0.0", "sleeper woke at 3600.0"), events);
        }
    }

    @Test
    void switchingToAutoJumpWakesAWaitingLoop() throws Exception {
        VirtualClock clock = new VirtualClock(false);
        try (EventLoop loop = new EventLoop(clock)) {
            Thread driver = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
                clock.setAutoJump(true);
            });
            double t = loop.runUntilComplete(() -> {
                sleep(Duration.ofDays(1));
                return Asyncio.getRunningLoop().time();
            });
            driver.join();
            assertEquals(86400.0, t);
        }
    }

    @Test
    void timeNeverMovesBackwards() {
        VirtualClock clock = new VirtualClock(false);
        clock.advanceTo(5_000);
        assertThrows(IllegalArgumentException.class, () -> clock.advanceTo(4_999));
        assertThrows(IllegalArgumentException.class, () -> clock.advanceBy(Duration.ofNanos(-1)));
        assertEquals(5_000, clock.nanoTime());
    }
}
