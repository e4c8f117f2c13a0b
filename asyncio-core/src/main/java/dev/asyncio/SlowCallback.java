package dev.asyncio;

import dev.asyncio.engine.BlockingCallAdvice;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A debug-mode report that a task step or a callback held its loop's turn longer than
 * {@link EventLoop#getSlowCallbackDuration()}: while it held the turn nothing else on the loop ran. A
 * coroutine that blocks its thread without suspending ({@code Thread.sleep}, a blocking socket, a
 * {@code CompletableFuture.get()}, a long computation) causes this, exactly as in asyncio.
 *
 * <p>A report in progress also names the non-blocking form of the blocking call the stack shows
 * ({@code Thread.sleep} is {@code Asyncio.sleep}, {@code HttpClient.send} is {@code sendAsync} awaited, other
 * blocking I/O goes to {@code Asyncio.toThread}), as README's table "a coroutine never blocks" does.
 *
 * <p>Delivered to {@link EventLoop#setSlowCallbackListener the loop's listener} (by default logged).
 * Reports {@linkplain #inProgress() in progress} come from the loop's watchdog thread while the step is
 * still stuck and carry the {@linkplain #stack() stack where it is stuck}; the final report comes
 * from the loop's turn once the step has ended and carries its total time but no stack (by then the
 * thread has moved on). A step that ends soon after crossing the threshold may get only the final
 * report: the watchdog samples the loop a few times per threshold.
 *
 * @param loop the loop that was held
 * @param task the task whose step held the turn, or {@code null} for a callback
 * @param handle the callback that held the turn, or {@code null} for a task step
 * @param elapsed how long it had held the turn when reported
 * @param inProgress whether it still held the turn when reported
 * @param stack the stack of the thread holding the turn, innermost frame first; empty in final reports
 */
public record SlowCallback(EventLoop loop, Task<?> task, Handle handle, Duration elapsed, boolean inProgress,
                           List<StackTraceElement> stack) {
    /**
     * @throws NullPointerException if {@code loop}, {@code elapsed} or {@code stack} is null
     */
    public SlowCallback {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(elapsed, "elapsed");
        stack = List.copyOf(stack);
    }

    /** The report the engine's debug mode asks for ({@code LoopDebug.Reports}): {@code owner} is a task or a handle. */
    static SlowCallback of(EventLoop loop, Object owner, long elapsedNanos, boolean inProgress, List<StackTraceElement> stack) {
        return new SlowCallback(loop, owner instanceof Task<?> t ? t : null, owner instanceof Handle h ? h : null,
                Duration.ofNanos(elapsedNanos), inProgress, stack);
    }

    /** @return the task's name, or {@code null} for a callback */
    public String taskName() {
        return task == null ? null : task.getName();
    }

    /** @return a message in the style of asyncio's debug log, with the stack if there is one */
    @Override
    public String toString() {
        String what = task != null ? "Task '" + task.getName() + "'" : "Callback " + handle;
        StringBuilder sb = new StringBuilder();
        if (inProgress) {
            sb.append(what).append(String.format(" has held the event loop for %.3f seconds and is still running"
                    + " (slow callback duration %.3f s); nothing else on the loop runs meanwhile. It is at:",
                    seconds(elapsed), seconds(loop.getSlowCallbackDuration())));
            sb.insert(sb.length() - " It is at:".length(), " " + BlockingCallAdvice.of(stack));
            for (StackTraceElement e : stack) {
                sb.append("\n\tat ").append(e);
            }
        } else {
            sb.append("Executing ").append(task != null ? task : handle)
                    .append(String.format(" took %.3f seconds", seconds(elapsed)));
        }
        return sb.toString();
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
