package dev.asyncio.queues;

import dev.asyncio.sync.IsolatedLoop;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** asyncio's LifoQueueTests, LifoQueueJoinTests and LifoQueueShutdownTests. */
class LifoQueueTest extends QueueCases {
    @Override
    Queue<Object> newQueue(int maxsize) {
        return new LifoQueue<>(maxsize);
    }

    @Test
    void order() {
        IsolatedLoop.run(() -> {
            LifoQueue<Integer> q = new LifoQueue<>();
            for (int i : new int[] {1, 3, 2}) {
                q.put(i);
            }
            List<Integer> items = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                items.add(q.get());
            }
            assertEquals(List.of(2, 3, 1), items);
        });
    }

    @Test
    void boundedLifoBlocksWhenFull() {
        IsolatedLoop.run(() -> {
            LifoQueue<Integer> q = new LifoQueue<>(2);
            q.put(1);
            q.put(2);
            assertEquals(true, q.isFull());
            dev.asyncio.Task<Void> putter = dev.asyncio.Asyncio.createTask(() -> {
                q.put(3);
            });
            dev.asyncio.Asyncio.sleep(0);
            assertEquals(false, putter.isDone());
            assertEquals(2, q.get());
            putter.await();
            assertEquals(3, q.get());
            assertEquals(1, q.get());
        });
    }
}
