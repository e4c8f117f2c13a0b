package dev.asyncio.test;

/**
 * How the virtual clock of a {@link TestLoop} moves when nobody tells it to.
 *
 * <p>In both modes time never moves while something is runnable or while work the loop knows of is in
 * flight (an executor or {@code toThread} job, awaited I/O, a queued threadsafe call, a bridge's
 * hand-in), and timers always fire in deadline order.
 */
public enum TimeMode {
    /**
     * When the loop has nothing to run and nothing in flight, time jumps to its next deadline (Trio's
     * {@code MockClock(autojump_threshold=0)}, kotlinx's {@code runTest}). An hour of sleeps, timeouts
     * and retries runs in milliseconds. The default.
     */
    AUTO_JUMP,
    /**
     * Time moves only through {@link TestLoop#advanceTimeBy}, {@link TestLoop#advanceTimeTo} and
     * {@link TestLoop#advanceUntilIdle} (Reactor's {@code VirtualTimeScheduler}, RxJava's
     * {@code TestScheduler}); an idle loop waits for them. Use it to check what happens at a given
     * moment, e.g. that a retry has not happened yet.
     */
    MANUAL
}
