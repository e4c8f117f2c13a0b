package dev.asyncio;

import java.util.ArrayList;
import java.util.List;

/**
 * The tasks of one {@link EventLoop} that are not done yet (asyncio's {@code _all_tasks}, which is a weak
 * set there; here a task is linked while pending, so it stays reachable and is reported if the loop
 * closes first). An intrusive doubly linked list through {@link Task#prevLive}/{@link Task#nextLive}:
 * linking and unlinking a task costs no allocation, which counts for a million short tasks. Touched on
 * the loop's turn, except by {@link #allUnsafe()}.
 */
final class LiveTasks {
    private Task<?> head;
    private int count;

    /** A new task of the loop. */
    void link(Task<?> t) {
        t.nextLive = head;
        if (head != null) {
            head.prevLive = t;
        }
        head = t;
        count++;
    }

    /** A task of the loop is done. */
    void unlink(Task<?> t) {
        if (t.prevLive != null) {
            t.prevLive.nextLive = t.nextLive;
        } else if (head == t) {
            head = t.nextLive;
        } else {
            return;
        }
        if (t.nextLive != null) {
            t.nextLive.prevLive = t.prevLive;
        }
        t.prevLive = null;
        t.nextLive = null;
        count--;
    }

    /** @return the pending tasks, most recent first; on the turn */
    List<Task<?>> all() {
        List<Task<?>> all = new ArrayList<>(count);
        for (Task<?> t = head; t != null; t = t.nextLive) {
            all.add(t);
        }
        return all;
    }

    /** The list walked without the turn: bounded, for a dump of a stuck loop. */
    List<Task<?>> allUnsafe() {
        List<Task<?>> all = new ArrayList<>();
        int limit = Math.max(16, count * 2 + 16);
        for (Task<?> t = head; t != null && all.size() < limit; t = t.nextLive) {
            all.add(t);
        }
        return all;
    }
}
