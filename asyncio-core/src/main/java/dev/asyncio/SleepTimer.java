package dev.asyncio;

/**
 * The timer of one {@link Asyncio#sleep}: when it fires it wakes its task directly. asyncio sleeps on a
 * future completed by a timer; here the timer itself plays the future's part (fired, or cancelled with
 * a message by {@link Task#cancel}), which saves a future and a lambda per sleep: sleeping tasks are
 * what programs hold by the hundred thousand.
 */
final class SleepTimer extends TimerHandle implements Runnable {
    private final Task<?> task;
    private boolean fired;
    private boolean interrupted;
    private String interruptMessage;

    SleepTimer(EventLoop loop, Task<?> task, long whenNanos, long sequence) {
        super(loop, null, Context.EMPTY, whenNanos, sequence);
        this.task = task;
    }

    /** The deadline came: the task's next step is due (the sleep future's result in asyncio). */
    @Override
    public void run() {
        fired = true;
        loop.engine.wake(task);
    }

    @Override
    void invoke() {
        run();
    }

    /**
     * {@link Task#cancel} while the task sleeps: like cancelling asyncio's sleep future, the task wakes
     * in the next iteration and sees {@code CancelledError(message)}.
     *
     * @return {@code false} if the timer already fired (too late, as cancelling a done future)
     */
    boolean interrupt(String message) {
        if (fired || interrupted) {
            return false;
        }
        interrupted = true;
        interruptMessage = message;
        cancel();
        loop.engine.wake(task);
        return true;
    }

    /** After the task resumed: the error asyncio's {@code future.result()} would raise, or {@code null}. */
    CancelledError interruption() {
        if (!interrupted) {
            return null;
        }
        return interruptMessage == null ? new CancelledError() : new CancelledError(interruptMessage);
    }

    @Override
    public String toString() {
        return "<sleep of " + task.getName() + " until " + when() + (interrupted ? ", cancelled" : "") + ">";
    }
}
