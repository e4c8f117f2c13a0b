package dev.asyncio.reactor;

import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.reactor.ReactorCoroutines.await;
import static dev.asyncio.reactor.ReactorCoroutines.flux;
import static dev.asyncio.reactor.ReactorCoroutines.mono;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** A lockstep bug shows as a hang: fail fast instead. */
@Timeout(30)
class VirtualTimeTest {

    @Test
    void anHourLongSleepFollowsThenAwait() {
        // Virtual, not real, time: asserted on the loop's clock, not with a stopwatch (real time would hit @Timeout).
        AtomicBoolean virtualClock = new AtomicBoolean();
        StepVerifier.withVirtualTime(() -> mono(() -> {
            virtualClock.set(dev.asyncio.Asyncio.getRunningLoop().getClock().isVirtual());
            sleep(ofHours(1));
            return 42;
        })).thenAwait(ofHours(1)).expectNext(42).verifyComplete();
        assertTrue(virtualClock.get(), "the coroutine's loop ran on the virtual-time scheduler's clock");
    }

    /** The loop runs on its own thread while the test moves time: repeat to shake out ordering races. */
    @RepeatedTest(25)
    void lockstepHoldsUnderRepetition() {
        StepVerifier.withVirtualTime(() -> mono(() -> {
            sleep(ofMinutes(10));
            sleep(ofMinutes(50));
            return 1;
        })).thenAwait(ofMinutes(30)).thenAwait(ofMinutes(30)).expectNext(1).verifyComplete();
    }

    @Test
    void notBeforeItsTime() {
        StepVerifier.withVirtualTime(() -> mono(() -> {
            sleep(ofHours(1));
            return 1;
        }))
                .expectSubscription()
                .expectNoEvent(ofMinutes(59))
                .thenAwait(ofMinutes(1))
                .expectNext(1)
                .verifyComplete();
    }

    @Test
    void successiveSleepsInOneAdvance() {
        StepVerifier.withVirtualTime(() -> flux(sink -> {
            for (int i = 0; i < 3; i++) {
                sleep(ofMinutes(20));
                sink.emit(i);
            }
        })).thenAwait(ofHours(1)).expectNext(0, 1, 2).verifyComplete();
    }

    @Test
    void coroutineSleepAndMonoDelayShareTheClock() {
        StepVerifier.withVirtualTime(() -> mono(() -> {
            sleep(ofMinutes(30));
            Long tick = await(Mono.delay(ofMinutes(30)));
            return "after " + tick;
        })).thenAwait(ofMinutes(30)).thenAwait(ofMinutes(30)).expectNext("after 0").verifyComplete();
    }

    /**
     * Reactor's {@code VirtualTimeScheduler.now()} counts an advance as soon as it begins, before the
     * actions due within it have run; a loop that read that time ran its 20-minute step at "60 minutes" and
     * put its next deadline at 80, after the end of the advance, so the flux stopped after one item (in
     * a {@code StepVerifier} script: a hang). Opened here for certain: another thread is inside the
     * scheduler's drain, so the advance is only recorded, and the loop looks at its clock meanwhile.
     */
    @Test
    void aReadingInsideAnAdvanceDoesNotRunAheadOfTheScheduler() throws InterruptedException {
        VirtualTimeScheduler scheduler = VirtualTimeScheduler.getOrSet(VirtualTimeScheduler.create());
        try {
            List<Integer> received = new CopyOnWriteArrayList<>();
            CountDownLatch completed = new CountDownLatch(1);
            // Subscribing from outside the loop returns once the loop is idle, its first wakeup queued.
            ReactorCoroutines.<Integer>flux(sink -> {
                for (int i = 0; i < 3; i++) {
                    sleep(ofMinutes(20));
                    sink.emit(i);
                }
            }).subscribe(received::add, e -> { }, completed::countDown);

            CountDownLatch draining = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread drainer = Thread.ofPlatform().start(() -> scheduler.schedule(() -> {
                draining.countDown();
                awaitQuietly(release);
            }));
            draining.await();
            scheduler.advanceTimeBy(ofHours(1)); // recorded only: the drainer thread runs it, later
            mono(() -> 0).subscribe(); // the loop runs a step, and reads its clock, inside that window
            release.countDown();
            drainer.join(); // its drain ran the advance, in lockstep with the loop

            assertEquals(List.of(0, 1, 2), received, "all three items came within the hour");
            assertEquals(0, completed.getCount(), "the flux completed within the hour");
        } finally {
            VirtualTimeScheduler.reset();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
