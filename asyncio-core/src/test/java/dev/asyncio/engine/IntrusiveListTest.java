package dev.asyncio.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's allocation-free list on its own, over a node that keeps its links as a task does. */
class IntrusiveListTest {
    private static final class Node {
        final String name;
        Node prev;
        Node next;

        Node(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final IntrusiveList<Node> list = new IntrusiveList<>() {
        @Override
        protected Node prev(Node n) {
            return n.prev;
        }

        @Override
        protected Node next(Node n) {
            return n.next;
        }

        @Override
        protected void setPrev(Node n, Node prev) {
            n.prev = prev;
        }

        @Override
        protected void setNext(Node n, Node next) {
            n.next = next;
        }
    };

    @Test
    void linkedNodesAreListedNewestFirstAndUnlinkedOnesLeave() {
        Node a = new Node("a");
        Node b = new Node("b");
        Node c = new Node("c");
        list.link(a);
        list.link(b);
        list.link(c);
        assertEquals(List.of(c, b, a), list.all());
        list.unlink(b);
        assertEquals(List.of(c, a), list.all());
        assertNull(b.prev);
        assertNull(b.next);
        list.unlink(c);
        assertEquals(List.of(a), list.all());
        list.unlink(a);
        assertEquals(List.of(), list.all());
        assertEquals(List.of(), list.allUnsafe());
    }

    @Test
    void unlinkingANodeThatIsNotLinkedChangesNothing() {
        Node linked = new Node("linked");
        Node stranger = new Node("stranger");
        list.link(linked);
        list.unlink(stranger);
        list.unlink(stranger);
        assertEquals(List.of(linked), list.all());
        assertEquals(List.of(linked), list.allUnsafe());
    }
}
