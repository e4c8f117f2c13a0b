package dev.asyncio.reactor;

import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.reactor.ReactorCoroutines.await;
import static dev.asyncio.reactor.ReactorCoroutines.flux;
import static dev.asyncio.reactor.ReactorCoroutines.mono;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

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
}
