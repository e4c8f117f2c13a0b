package dev.asyncio.transports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import dev.asyncio.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StaggeredRace}: the cases of CPython's {@code test_asyncio/test_staggered.py}, on an
 * auto-jumping virtual clock (times below are loop times, never wall-clock ones).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StaggeredRaceTest {
    private static final Duration DELAY = Duration.ofMillis(100);

    private static <T> T onVirtualLoop(Coroutine<T> body) {
        try (EventLoop loop = new EventLoop(new VirtualClock())) {
            return loop.runUntilComplete(body);
        }
    }

    /** An attempt that sleeps for 10 s and logs "N cancelled" when its sleep is cancelled. */
    private static Coroutine<String> sleepsUntilCancelled(List<String> events, String name) {
        return () -> {
            try {
                Asyncio.sleep(10);
                return name;
            } catch (CancelledError e) {
                events.add(name + " cancelled");
                throw e;
            }
        };
    }

    private static List<Coroutine<String>> list(List<Coroutine<String>> attempts) {
        return attempts;
    }

    @Test
    void emptyRaceHasNoWinner() {
        StaggeredRace.Outcome<String> o = onVirtualLoop(() -> StaggeredRace.race(List.of(), null, s -> { }));
        assertNull(o.winner());
        assertEquals(-1, o.winnerIndex());
        assertEquals(List.of(), o.exceptions());
    }

    @Test
    void oneSuccessful() {
        StaggeredRace.Outcome<String> o = onVirtualLoop(() -> StaggeredRace.race(list(List.of(() -> "res")), null,
                s -> { }));
        assertEquals("res", o.winner());
        assertEquals(0, o.winnerIndex());
        assertEquals(1, o.exceptions().size());
        assertNull(o.exceptions().get(0));
    }

    @Test
    void firstErrorSecondSuccessfulStartsTheSecondAtOnce() {
        List<Double> startedAt = new ArrayList<>();
        StaggeredRace.Outcome<String> o = onVirtualLoop(() -> StaggeredRace.race(list(List.of(() -> {
            startedAt.add(Asyncio.getRunningLoop().time());
            throw new IllegalStateException("0");
        }, () -> {
            startedAt.add(Asyncio.getRunningLoop().time());
            return "1";
        })), Duration.ofSeconds(10), s -> { }));
        assertEquals("1", o.winner());
        assertEquals(1, o.winnerIndex());
        assertEquals("0", o.exceptions().get(0).getMessage());
        assertNull(o.exceptions().get(1));
        assertEquals(startedAt.get(0), startedAt.get(1), "a failure starts the next attempt without waiting");
    }

    @Test
    void firstTimeoutSecondSuccessfulCancelsTheFirst() {
        List<String> events = new ArrayList<>();
        double[] secondStart = new double[1];
        StaggeredRace.Outcome<String> o = onVirtualLoop(() -> {
            double t0 = Asyncio.getRunningLoop().time();
            StaggeredRace.Outcome<String> out = StaggeredRace.race(list(List.of(sleepsUntilCancelled(events, "0"),
                    () -> {
                secondStart[0] = Asyncio.getRunningLoop().time() - t0;
                return "1";
            })), DELAY, s -> { });
            events.add("race over");
            return out;
        });
        assertEquals("1", o.winner());
        assertEquals(1, o.winnerIndex());
        assertNull(o.exceptions().get(0), "a loser cancelled by the winner has no error");
        assertEquals(0.1, secondStart[0], 1e-9, "the second attempt starts after the delay, on the loop's clock");
        assertEquals(List.of("0 cancelled", "race over"), events, "the race waits for the loser to finish");
    }

    @Test
    void noneSuccessful() {
        StaggeredRace.Outcome<String> o = onVirtualLoop(() -> StaggeredRace.race(list(List.of(() -> {
            throw new IllegalStateException("0");
        }, () -> {
            throw new IllegalArgumentException("1");
        })), DELAY, s -> { }));
        assertNull(o.winner());
        assertEquals(-1, o.winnerIndex());
        assertEquals("0", o.exceptions().get(0).getMessage());
        assertInstanceOf(IllegalArgumentException.class, o.exceptions().get(1));
    }

    @Test
    void withoutDelayAttemptsRunOneAfterAnother() {
        List<String> events = new ArrayList<>();
        StaggeredRace.Outcome<String> o = onVirtualLoop(() -> StaggeredRace.race(list(List.of(() -> {
            events.add("0 start");
            Asyncio.sleep(5);
            events.add("0 fail");
            throw new IllegalStateException("0");
        }, () -> {
            events.add("1 start");
            return "1";
        })), null, s -> { }));
        assertEquals("1", o.winner());
        assertEquals(List.of("0 start", "0 fail", "1 start"), events);
    }

    @Test
    void aSuccessAfterTheWinnerIsDiscarded() {
        // An attempt that ignores the winner's cancel and still returns a result (a socket that connected
        // at the last moment) hands it to discard, where it is closed: nothing is leaked.
        List<String> discarded = new ArrayList<>();
        StaggeredRace.Outcome<String> o = onVirtualLoop(() -> StaggeredRace.race(list(List.of(() -> {
            Asyncio.sleep(1);
            return "0";
        }, () -> {
            try {
                Asyncio.sleep(10);
                return "1";
            } catch (CancelledError e) {
                return "1 late";
            }
        })), DELAY, discarded::add));
        assertEquals("0", o.winner());
        assertEquals(List.of("1 late"), discarded);
    }

    @Test
    void cancellingTheCallerCancelsEveryAttempt() {
        List<String> events = new ArrayList<>();
        onVirtualLoop(() -> {
            Task<StaggeredRace.Outcome<String>> race = Asyncio.createTask(() -> StaggeredRace.race(
                    List.of(sleepsUntilCancelled(events, "0"), sleepsUntilCancelled(events, "1")), DELAY, s -> { }));
            Asyncio.sleep(1);
            race.cancel();
            assertThrows(CancelledError.class, race::await);
            Asyncio.sleep(0);
            return null;
        });
        assertEquals(List.of("0 cancelled", "1 cancelled"), events);
    }
}
