package dev.asyncio;

import dev.asyncio.engine.Turn;
import dev.asyncio.engine.VirtualThreadInternals;

/**
 * The engine's {@link Turn} over the tasks of one {@link EventLoop}: a task's thread lives in the
 * {@link Task}'s own field, the dispatcher is {@link EventLoopEngine#dispatch()},
 * and this class adds the loop's policy for an interrupt of its host (asyncio's Ctrl-C: stop the loop, or
 * what {@link Runner#run} asked for instead) and for a close that catches a task suspended.
 */
final class LoopTurn extends Turn<Task<?>> {
    private final EventLoop loop;
    /** What an interrupt of the host does while the loop runs; {@code null}: stop (see {@link EventLoop#runForever()}). */
    private Runnable hostInterruptAction;
    /** The task dump taken when the host was first interrupted in the current run, for the error it ends with. */
    private String interruptDump;

    /**
     * @param internals loop-carrier mode's JDK internals, or {@code null} in portable mode
     */
    LoopTurn(EventLoop loop, VirtualThreadInternals internals) {
        super(internals);
        this.loop = loop;
    }

    @Override
    protected Object dispatch() {
        return loop.engine.dispatch();
    }

    @Override
    protected Thread threadOf(Task<?> task) {
        return task.thread;
    }

    @Override
    protected void setThread(Task<?> task, Thread thread) {
        task.thread = thread;
    }

    /** The body of each task thread: the task it was started for, then the ones it is given (see {@link Task#runOnThread()}). */
    @Override
    public void run() {
        takeStarting().runOnThread();
    }

    @Override
    protected String threadName(Task<?> task) {
        return loop.getDebug() ? task.getName() : null;
    }

    @Override
    protected boolean closing() {
        return loop.engine.isClosing();
    }

    @Override
    protected RuntimeException closedAround(Task<?> task, boolean beforeSuspending) {
        return beforeSuspending
                ? new IllegalStateException("the event loop is closed: " + task.getName() + " cannot suspend any more")
                : new CancelledError("the event loop was closed while " + task.getName() + " was pending");
    }

    @Override
    public void enterHost(Thread me) {
        super.enterHost(me);
        interruptDump = null;
    }

    @Override
    public void leaveHost(Thread me) {
        hostInterruptAction = null;
        super.leaveHost(me);
    }

    /** Acted on through the threadsafe queue, since the host may be waiting while a task holds the turn. */
    @Override
    protected void onHostInterrupt() {
        loop.engine.enqueueThreadsafe(new Handle(loop, this::actOnHostInterrupt, Context.EMPTY));
    }

    /** On the turn: what an interrupt of the host means (see {@link EventLoop#runForever()}). */
    private void actOnHostInterrupt() {
        if (!loop.isRunning()) {
            return; // close() unwinds what is left whatever happens; the flag is restored when it returns
        }
        if (interruptDump == null) {
            interruptDump = TaskDump.of(loop);
        }
        Runnable action = hostInterruptAction;
        if (action != null) {
            hostInterruptAction = null; // a second interrupt stops the loop, as asyncio's second Ctrl-C
            action.run();
        } else {
            loop.stop();
        }
    }

    /**
     * Sets what the next interrupt of the host does instead of stopping the loop, once: {@link Runner#run}
     * cancels its main task. Cleared when the run ends.
     */
    void onNextHostInterrupt(Runnable action) {
        hostInterruptAction = action;
    }

    /** @return the task dump taken when the host was first interrupted in the last run, or {@code null} */
    String interruptDump() {
        return interruptDump;
    }
}
