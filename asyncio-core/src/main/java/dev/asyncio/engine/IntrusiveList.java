package dev.asyncio.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A doubly linked list threaded through its nodes' own fields: linking and unlinking a node costs no
 * allocation, which counts for a loop's million short tasks (the list of a loop's pending tasks,
 * asyncio's {@code _all_tasks}). The node type keeps its two links; the one subclass says where they are.
 * A node is in at most one list of a given kind. Not thread-safe: the owner touches it on the loop's turn,
 * except {@link #allUnsafe()}.
 *
 * @param <N> the node type
 */
public abstract class IntrusiveList<N> {
    private N head;
    private int count;

    /** For the one subclass, which supplies the links. */
    protected IntrusiveList() {
    }

    /**
     * @param node a node
     * @return its previous node in the list, or {@code null}
     */
    protected abstract N prev(N node);

    /**
     * @param node a node
     * @return its next node in the list, or {@code null}
     */
    protected abstract N next(N node);

    /**
     * @param node a node
     * @param prev its new previous node, or {@code null}
     */
    protected abstract void setPrev(N node, N prev);

    /**
     * @param node a node
     * @param next its new next node, or {@code null}
     */
    protected abstract void setNext(N node, N next);

    /**
     * Adds {@code node} at the head.
     *
     * @param node a node in no list
     */
    public final void link(N node) {
        setNext(node, head);
        if (head != null) {
            setPrev(head, node);
        }
        head = node;
        count++;
    }

    /**
     * Removes {@code node} and clears its links; a node in no list is left as it is.
     *
     * @param node a node of this list, or in none
     */
    public final void unlink(N node) {
        N prev = prev(node);
        N next = next(node);
        if (prev != null) {
            setNext(prev, next);
        } else if (head == node) {
            head = next;
        } else {
            return;
        }
        if (next != null) {
            setPrev(next, prev);
        }
        setPrev(node, null);
        setNext(node, null);
        count--;
    }

    /** @return the nodes, most recently linked first; on the owner's thread */
    public final List<N> all() {
        List<N> all = new ArrayList<>(count);
        for (N n = head; n != null; n = next(n)) {
            all.add(n);
        }
        return all;
    }

    /**
     * The list walked from another thread, for a dump of a stuck loop: it may be changing meanwhile, so the
     * walk is bounded and may miss or repeat a node.
     *
     * @return the nodes seen, most recently linked first
     */
    public final List<N> allUnsafe() {
        List<N> all = new ArrayList<>();
        int limit = Math.max(16, count * 2 + 16);
        for (N n = head; n != null && all.size() < limit; n = next(n)) {
            all.add(n);
        }
        return all;
    }
}
