package dev.asyncio;

import java.util.List;
import java.util.Objects;

/**
 * One pending task as {@code python -m asyncio ps} / {@code pstree} of asyncio 3.14 see it (their
 * {@code TaskInfo}): a snapshot for a listing, an endpoint or the {@code dev.asyncio:type=Tasks} MBean, taken
 * by {@link #snapshotAll()}. Plain values only (strings and stack frames), so it serializes to JSON or over
 * JMX as is.
 *
 * @param id the task's id in this snapshot: {@code 0x} and its identity hash code (Python shows {@code id()}),
 *     made unique within the snapshot
 * @param name the task's name
 * @param loop the id of the task's loop ({@code 0x} and its identity hash code)
 * @param state {@code running}, {@code suspended} or {@code not started}, with {@code , cancelling=N} while
 *     cancel requests are pending
 * @param awaits what the task is suspended on: {@code Task 'name'}, a future's description,
 *     {@code sleep until loop time T}; empty if nothing
 * @param frames the coroutine's frames, most recent first (as {@link Asyncio#captureCallGraph(Future)})
 * @param awaitedBy the {@link #id}s of the tasks that await this one (see {@link FutureCallGraph#awaitedBy()});
 *     an awaiter that is not in the snapshot (done meanwhile, or of a loop that is not running) is left out
 */
public record TaskInfo(String id, String name, String loop, String state, String awaits, List<StackTraceElement> frames,
        List<String> awaitedBy) {
    /**
     * @param id the task's id in its snapshot
     * @param name its name
     * @param loop its loop's id
     * @param state its state
     * @param awaits what it awaits, or empty
     * @param frames its frames, most recent first (copied)
     * @param awaitedBy the ids of its awaiters (copied)
     * @throws NullPointerException if an argument or an element is {@code null}
     */
    public TaskInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(awaits, "awaits");
        frames = List.copyOf(frames);
        awaitedBy = List.copyOf(awaitedBy);
    }

    /**
     * Every pending task of every loop running in this JVM, loop by loop, each loop's tasks read on its own
     * turn (the loop answers between two steps); a loop that does not answer within a second (a step holds
     * its turn: the case a listing is most wanted for) is read without its help, which may be inconsistent.
     * What asyncio 3.14 reads from another process for {@code ps}/{@code pstree}; the
     * {@code dev.asyncio:type=Tasks} MBean and {@code dev.asyncio.tools.Ps} use it, and so can a diagnostics
     * endpoint. Any thread; off the loops it blocks up to a second per loop that does not answer; on a loop's
     * turn it never waits: that loop is read exactly and the others without their help.
     *
     * @return the tasks, in no promised order; empty if no loop runs
     */
    public static List<TaskInfo> snapshotAll() {
        return TaskSnapshot.ofRunningLoops();
    }
}
