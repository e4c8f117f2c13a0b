package dev.asyncio.engine;

/**
 * The timer of one {@code Asyncio.sleep}, in its loop's {@link TimerHeap}: when it comes due it is moved
 * to the ready queue like any timer, and when its turn in that queue comes ({@link #fire()}) the loop
 * wakes its task. asyncio sleeps on a future completed by a timer; here the timer itself plays the
 * future's part (fired, or interrupted with a message by a cancel of the task), which saves a future and
 * a lambda per sleep. It is not a callback handle either: it has no callback, no context and no loop, so
 * that a sleeping task costs little, since sleeping tasks are what programs hold by the hundred thousand.
 *
 * <p>Touched only on the loop's turn (or while the loop is not running).
 */
public final class SleepTimer {
    private static final byte PENDING = 0;
    private static final byte FIRED = 1;
    private static final byte INTERRUPTED = 2;

    /** The sleeping task (an {@code Object} here: the engine names no API type). */
    private final Object task;
    final long deadline;
    final long sequence;
    boolean inHeap;
    private byte state;
    private String interruptMessage;

    SleepTimer(Object task, long deadline, long sequence) {
        this.task = task;
        this.deadline = deadline;
        this.sequence = sequence;
    }

    /** @return the sleeping task */
    public Object task() {
        return task;
    }

    /** @return the deadline, in nanoseconds on the loop's clock */
    public long deadline() {
        return deadline;
    }

    /**
     * Its turn in the ready queue came: the sleep is over (the sleep future's result in asyncio), unless a
     * cancel interrupted it meanwhile.
     *
     * @return whether the loop must now wake the task; {@code false} if the sleep was interrupted
     */
    public boolean fire() {
        if (state != PENDING) {
            return false;
        }
        state = FIRED;
        return true;
    }

    /** Interrupts a pending sleep; see {@link TimerHeap#interrupt}. */
    boolean interrupt(String message) {
        if (state != PENDING) {
            return false;
        }
        state = INTERRUPTED;
        interruptMessage = message;
        return true;
    }

    /** @return whether a cancel interrupted the sleep before it fired */
    public boolean isInterrupted() {
        return state == INTERRUPTED;
    }

    /** @return the message of the cancel that interrupted the sleep, or {@code null} */
    public String interruptMessage() {
        return interruptMessage;
    }

    @Override
    public String toString() {
        return "<sleep until " + deadline / 1e9 + (state == INTERRUPTED ? ", cancelled" : "") + ">";
    }
}
