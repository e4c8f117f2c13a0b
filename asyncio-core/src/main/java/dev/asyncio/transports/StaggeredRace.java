package dev.asyncio.transports;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.TimerHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * asyncio's {@code staggered.staggered_race}, the engine of Happy Eyeballs: runs attempts as tasks, each
 * starting when the one started before it failed or has run for {@code delay}, until one succeeds; then
 * cancels the others. Waits for every started attempt to finish before returning, so nothing an attempt
 * opened outlives the race (a loser closes its socket when cancelled; {@code discard} gets the result
 * of an attempt that succeeded after another had already won).
 *
 * <p>Runs on the calling coroutine's loop; the attempts run on it as tasks, one step at a time.
 *
 * @param <T> what an attempt produces
 */
final class StaggeredRace<T> {
    /**
     * How the race ended.
     *
     * @param winner the winning attempt's result, {@code null} if none succeeded
     * @param winnerIndex the winner's index in the attempt list, or -1
     * @param exceptions each started attempt's error, by index; {@code null} for the winner and for
     *     attempts cancelled because another won; never started attempts are not listed
     * @param <T> what an attempt produces
     */
    record Outcome<T>(T winner, int winnerIndex, List<Throwable> exceptions) {
    }

    private final EventLoop loop;
    private final List<Coroutine<T>> attempts;
    private final Duration delay;
    private final Consumer<? super T> discard;
    private final List<Task<Void>> running = new ArrayList<>();
    private final Throwable[] exceptions;
    private final Future<Void> allDone;
    private int started;
    private int finished;
    private int winnerIndex = -1;
    private T winner;
    private TimerHandle timer;
    private boolean abandoned;

    private StaggeredRace(List<Coroutine<T>> attempts, Duration delay, Consumer<? super T> discard) {
        this.loop = Asyncio.getRunningLoop();
        this.attempts = List.copyOf(attempts);
        this.delay = delay;
        this.discard = Objects.requireNonNull(discard, "discard");
        this.exceptions = new Throwable[this.attempts.size()];
        this.allDone = loop.createFuture();
    }

    /**
     * Runs the race and suspends until it is over.
     *
     * @param attempts what to try, in order
     * @param delay how long an attempt runs alone before the next one starts; {@code null} for one after
     *     another
     * @param discard takes the result of an attempt that succeeded after another won (closes it)
     * @param <T> what an attempt produces
     * @return the outcome
     * @throws CancelledError if the calling task is cancelled; every attempt is cancelled then
     */
    static <T> Outcome<T> race(List<Coroutine<T>> attempts, Duration delay, Consumer<? super T> discard) {
        return new StaggeredRace<>(attempts, delay, discard).run();
    }

    private Outcome<T> run() {
        if (attempts.isEmpty()) {
            return new Outcome<>(null, -1, List.of());
        }
        startNext();
        try {
            allDone.await();
        } catch (Throwable e) {
            abandoned = true;
            cancelTimer();
            running.forEach(Task::cancel);
            throw e;
        }
        return new Outcome<>(winner, winnerIndex, Arrays.asList(Arrays.copyOf(exceptions, started)));
    }

    /** Starts the next attempt, unless there is a winner or none is left. */
    private void startNext() {
        cancelTimer();
        if (winnerIndex >= 0 || abandoned || started == attempts.size()) {
            return;
        }
        int index = started++;
        if (delay != null && started < attempts.size()) {
            timer = loop.callLater(delay, this::startNext);
        }
        Task<Void> task = loop.createTask(() -> attempt(index));
        running.add(task);
        task.addDoneCallback(f -> {
            finished++;
            if (finished == started && (winnerIndex >= 0 || started == attempts.size()) && !allDone.isDone()) {
                allDone.setResult(null);
            }
        });
    }

    private Void attempt(int index) {
        T result;
        try {
            result = attempts.get(index).call();
        } catch (Throwable e) {
            if (winnerIndex < 0 && !abandoned) {
                exceptions[index] = e;
                if (index == started - 1) {
                    startNext(); // the newest attempt failed: do not wait for the delay
                }
            }
            if (e instanceof CancelledError c) {
                throw c;
            }
            return null;
        }
        if (winnerIndex >= 0 || abandoned) {
            discard.accept(result);
            return null;
        }
        winnerIndex = index;
        winner = result;
        cancelTimer();
        Task<?> self = Asyncio.currentTask();
        for (Task<Void> t : running) {
            if (t != self) {
                t.cancel();
            }
        }
        return null;
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
