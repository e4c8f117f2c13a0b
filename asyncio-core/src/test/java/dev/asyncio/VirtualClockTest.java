package dev.asyncio;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The virtual clock: auto-jump, manual advance from another thread, and no jump past outside work. */
class VirtualClockTest {

    @Test
    void autoJumpRunsAnHourOfSleepsInstantlyInDeadlineOrder() {
        List<String> order = new ArrayList<>();
        IdleWatchClock clock = new IdleWatchClock(true);
        try (EventLoop loop = new EventLoop(clock)) {
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
        // "Instantly" without a stopwatch: every idle moment was a jump, the loop never waited for time to pass.
        assertEquals(0, clock.waits(), "the loop waited for the clock instead of jumping");
    }

    @Test
    void manualClockMovesOnlyWhenAdvancedFromAnotherThread() throws Exception {
        VirtualClock clock = new VirtualClock(false);
        CountDownLatch armed = new CountDownLatch(1);
        CountDownLatch witnessSawThirty = new CountDownLatch(1);
        AtomicReference<Throwable> driverFailure = new AtomicReference<>();
        List<String> woke = new CopyOnWriteArrayList<>();
        // The driver acts on events of the loop, not after guessed delays; if an event never comes it switches the
        // clock to auto-jump so that the loop ends and the test fails on its assertions instead of hanging.
        Thread driver = Thread.ofPlatform().start(() -> {
            try {
                awaitOrFail(armed, "both sleeps scheduled");
                clock.advanceBy(Duration.ofSeconds(30));
                awaitOrFail(witnessSawThirty, "the loop handled the clock reading 30 s");
                clock.advanceBy(Duration.ofSeconds(40));
            } catch (Throwable e) {
                driverFailure.set(e);
                clock.setAutoJump(true);
            }
        });
        try (EventLoop loop = new EventLoop(clock)) {
            loop.runUntilComplete(() -> {
                EventLoop l = Asyncio.getRunningLoop();
                // The witness's 30 s timer is due at exactly the first reading; had the sleeper's 60 s timer been
                // (wrongly) due then too, it would fire in the same pass, after the witness's (deadline order), and
                // its task would run before the witness's step after sleep(0): the driver moves the clock on only
                // once the loop has shown what it does at 30 s.
                Task<Void> witness = createTask(() -> {
                    sleep(Duration.ofSeconds(30));
                    woke.add("witness at " + l.time());
                    sleep(0);
                    witnessSawThirty.countDown();
                });
                Task<Void> sleeper = createTask(() -> {
                    sleep(Duration.ofMinutes(1));
                    woke.add("sleeper at " + l.time());
                });
                sleep(0); // both tasks have run their first step: their timers are scheduled at 30 s and 60 s
                armed.countDown();
                Asyncio.gather(witness, sleeper).await();
                return null;
            });
        } finally {
            driver.interrupt();
            driver.join();
        }
        assertNull(driverFailure.get(), () -> "driver: " + driverFailure.get());
        assertEquals(List.of("witness at 30.0", "sleeper at 70.0"), woke,
                "the sleeper woke at the first reading past its deadline, not before");
    }

    @Test
    void autoJumpWaitsForExternalWorkInFlight() throws Exception {
        IdleWatchClock clock = new IdleWatchClock(true);
        AtomicReference<Throwable> workerFailure = new AtomicReference<>();
        Thread worker;
        List<String> events = new CopyOnWriteArrayList<>();
        try (EventLoop loop = new EventLoop(clock)) {
            Thread[] started = new Thread[1];
            try {
                loop.runUntilComplete(() -> {
                    EventLoop l = Asyncio.getRunningLoop();
                    Task<Void> sleeper = createTask(() -> {
                        sleep(Duration.ofHours(1));
                        events.add("sleeper woke at " + l.time());
                    });
                    l.engine.beginExternalWork();
                    started[0] = Thread.ofPlatform().start(() -> {
                        try {
                            // The work finishes only once the loop is idle with the hour-long timer pending and
                            // this work in flight: the moment it would (wrongly) have jumped.
                            clock.awaitIdle();
                        } catch (Throwable e) {
                            workerFailure.set(e);
                        }
                        l.callSoonThreadsafe(() -> events.add("external result at " + l.time()));
                        l.engine.endExternalWork();
                    });
                    sleeper.await();
                    return null;
                });
            } finally {
                worker = started[0];
                if (worker != null) {
                    worker.interrupt();
                    worker.join();
                }
            }
        }
        assertEquals(List.of("external result at 0.0", "sleeper woke at 3600.0"), events);
        assertNull(workerFailure.get(), () -> "worker: " + workerFailure.get());
    }

    @Test
    void switchingToAutoJumpWakesAWaitingLoop() throws Exception {
        IdleWatchClock clock = new IdleWatchClock(false);
        AtomicReference<Throwable> driverFailure = new AtomicReference<>();
        Thread driver = Thread.ofPlatform().start(() -> {
            try {
                clock.awaitIdle(); // the loop waits on the manual clock with its one-day timer
            } catch (Throwable e) {
                driverFailure.set(e);
            }
            clock.virtual().setAutoJump(true);
        });
        double t;
        try (EventLoop loop = new EventLoop(clock)) {
            t = loop.runUntilComplete(() -> {
                sleep(Duration.ofDays(1));
                return Asyncio.getRunningLoop().time();
            });
        } finally {
            driver.interrupt();
            driver.join();
        }
        assertNull(driverFailure.get(), () -> "driver: " + driverFailure.get());
        assertEquals(86400.0, t);
    }

    private static void awaitOrFail(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(IdleWatchClock.HANG_GUARD_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("never happened: " + what);
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
