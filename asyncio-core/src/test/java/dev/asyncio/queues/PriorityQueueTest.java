package dev.asyncio.queues;

import dev.asyncio.sync.IsolatedLoop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** asyncio's PriorityQueueTests, PriorityQueueJoinTests and PriorityQueueShutdownTests. */
class PriorityQueueTest extends QueueCases {
    @Override
    Queue<Object> newQueue(int maxsize) {
        // the shared cases put Integers and Strings, never both in one queue
        return new PriorityQueue<>(maxsize, Comparator.comparing(Object::toString));
    }

    @Test
    void order() {
        IsolatedLoop.run(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>();
            for (int i : new int[] {1, 3, 2}) {
                q.put(i);
            }
            List<Integer> items = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                items.add(q.get());
            }
            assertEquals(List.of(1, 2, 3), items);
        });
    }

    record Job(int priority, String name) {
    }

    @Test
    void comparatorOrdersTupleLikeItems() {
        IsolatedLoop.run(() -> {
            PriorityQueue<Job> q = new PriorityQueue<>(Comparator.comparingInt(Job::priority));
            q.put(new Job(3, "low"));
            q.put(new Job(1, "urgent"));
            q.put(new Job(2, "normal"));
            assertEquals("urgent", q.get().name());
            assertEquals("normal", q.get().name());
            assertEquals("low", q.get().name());
        });
    }

    @Test
    void incomparableItemIsRejectedAndNothingIsPut() {
        PriorityQueue<Object> q = new PriorityQueue<>();
        assertThrows(ClassCastException.class, () -> q.putNowait(new Object()));
        assertEquals(0, q.qsize());
        assertThrows(IllegalStateException.class, q::taskDone);   // not counted as a task either
    }
}
