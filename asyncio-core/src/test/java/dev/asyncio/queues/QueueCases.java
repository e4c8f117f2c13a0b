package dev.asyncio.queues;

import dev.asyncio.sync.IsolatedLoop;
import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * asyncio's {@code _QueueJoinTestMixin} and {@code _QueueShutdownTestMixin}: the cases every queue class
 * must pass, run by {@link QueueTest}, {@link LifoQueueTest} and {@link PriorityQueueTest}.
 */
abstract class QueueCases {
    abstract Queue<Object> newQueue(int maxsize);

    Queue<Object> newQueue() {
        return newQueue(0);
    }

    @Test
    void taskDoneUnderflow() {
        Queue<Object> q = newQueue();
        IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
        assertTrue(e.getMessage().startsWith("taskDone() called too many times"), e.getMessage());
    }

    @Test
    void taskDone() {
        IsolatedLoop.run(() -> {
            Queue<Object> q = newQueue();
            for (int i = 0; i < 100; i++) {
                q.putNowait(i);
            }
            int[] accumulator = {0};
            boolean[] running = {true};
            // Two workers get items and call taskDone after each; join() returns once all are processed.
            List<Task<Void>> tasks = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                tasks.add(createTask(() -> {
                    while (running[0]) {
                        int item = (Integer) q.get();
                        accumulator[0] += item;
                        q.taskDone();
                    }
                }));
            }
            q.join();
            assertEquals(4950, accumulator[0]);
            running[0] = false;
            for (int i = 0; i < tasks.size(); i++) {
                q.putNowait(0);
            }
            Asyncio.gather(tasks).await();
        });
    }

    @Test
    void joinEmptyQueue() {
        IsolatedLoop.run(() -> {
            Queue<Object> q = newQueue();
            // returns at once, and before anything else (done twice for insurance)
            q.join();
            q.join();
        });
    }

    @Test
    void format() {
        IsolatedLoop.run(() -> {
            Queue<Object> q = newQueue();
            assertEquals("maxsize=0", q.format());
            q.putNowait(1);
            q.putNowait(2);
            q.getNowait();
            q.getNowait();
            assertEquals("maxsize=0 tasks=2", q.format());
        });
    }

    @Test
    void formatShutdown() {
        Queue<Object> q = newQueue();
        q.shutdown();
        assertEquals("maxsize=0 shutdown", q.format());
        assertTrue(q.isShutdown());
    }

    @Test
    void shutdownEmpty() {
        IsolatedLoop.run(() -> {
            Queue<Object> q = newQueue();
            Task<Object> getTask = createTask(q::get);
            sleep(0);              // the get task is pending before the shutdown

            q.shutdown(false);     // unfinished tasks: 0 -> 0
            assertEquals(0, q.qsize());
            q.join();              // join() returns

            sleep(0);
            assertTrue(getTask.isDone());
            assertThrows(QueueShutDown.class, getTask::await);

            assertThrows(QueueShutDown.class, () -> q.put("data"));
            assertThrows(QueueShutDown.class, () -> q.putNowait("data"));
            assertThrows(QueueShutDown.class, q::get);
            assertThrows(QueueShutDown.class, q::getNowait);
        });
    }

    @Test
    void shutdownNonempty() {
        IsolatedLoop.run(() -> {
            Queue<Object> q = newQueue(1);
            q.putNowait("data");
            Task<Void> joinTask = createTask(q::join);
            Task<Void> putTask = createTask(() -> {
                q.put("data2");
            });
            sleep(0);
            assertFalse(putTask.isDone());

            q.shutdown(false);     // unfinished tasks: 1 -> 1
            assertEquals(1, q.qsize());

            sleep(0);
            assertTrue(putTask.isDone());
            assertThrows(QueueShutDown.class, putTask::await);

            assertEquals("data", q.get());   // the queued item is still delivered

            sleep(0);
            assertFalse(joinTask.isDone());

            assertThrows(QueueShutDown.class, () -> q.put("data"));
            assertThrows(QueueShutDown.class, () -> q.putNowait("data"));
            assertThrows(QueueShutDown.class, q::get);
            assertThrows(QueueShutDown.class, q::getNowait);

            q.taskDone();
            sleep(0);
            assertTrue(joinTask.isDone());
            joinTask.await();
            assertThrows(IllegalStateException.class, q::taskDone);
        });
    }

    @Test
    void shutdownImmediate() {
        IsolatedLoop.run(() -> {
            Queue<Object> q = newQueue();
            q.putNowait("data");
            Task<Void> joinTask = createTask(q::join);

            q.shutdown(true);      // unfinished tasks: 1 -> 0
            assertEquals(0, q.qsize());

            sleep(0);
            assertTrue(joinTask.isDone());
            joinTask.await();

            assertThrows(QueueShutDown.class, () -> q.put("data"));
            assertThrows(QueueShutDown.class, () -> q.putNowait("data"));
            assertThrows(QueueShutDown.class, q::get);
            assertThrows(QueueShutDown.class, q::getNowait);
            assertThrows(IllegalStateException.class, q::taskDone);
        });
    }

    @Test
    void shutdownImmediateWithUnfinished() {
        IsolatedLoop.run(() -> {
            Queue<Object> q = newQueue();
            q.putNowait("data");
            q.putNowait("data");
            Task<Void> joinTask = createTask(q::join);
            assertEquals("data", q.get());

            q.shutdown(true);      // unfinished tasks: 2 -> 1
            assertEquals(0, q.qsize());

            sleep(0);
            assertFalse(joinTask.isDone());

            assertThrows(QueueShutDown.class, () -> q.put("data"));
            assertThrows(QueueShutDown.class, () -> q.putNowait("data"));
            assertThrows(QueueShutDown.class, q::get);
            assertThrows(QueueShutDown.class, q::getNowait);

            q.taskDone();
            assertThrows(IllegalStateException.class, q::taskDone);

            sleep(0);
            assertTrue(joinTask.isDone());
            joinTask.await();
        });
    }

    @Test
    void shutdownWakesEveryBlockedPutterAndGetter() {
        IsolatedLoop.run(() -> {
            Queue<Object> full = newQueue(1);
            full.putNowait("x");
            List<Task<Void>> putters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                putters.add(createTask(() -> {
                    full.put("y");
                }));
            }
            Queue<Object> empty = newQueue(1);
            List<Task<Object>> getters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                getters.add(createTask(empty::get));
            }
            sleep(0);
            assertEquals(3, full.putterCount());
            assertEquals(3, empty.getterCount());
            full.shutdown();
            empty.shutdown();
            for (Object o : Asyncio.gatherReturnExceptions(putters).await()) {
                assertTrue(o instanceof QueueShutDown, String.valueOf(o));
            }
            for (Object o : Asyncio.gatherReturnExceptions(getters).await()) {
                assertTrue(o instanceof QueueShutDown, String.valueOf(o));
            }
            assertEquals(1, full.qsize());
            assertEquals("x", full.getNowait());
        });
    }

    @Test
    void nullItemsAreRejected() {
        Queue<Object> q = newQueue();
        assertThrows(NullPointerException.class, () -> q.putNowait(null));
        IsolatedLoop.run(() -> {
            assertThrows(NullPointerException.class, () -> q.put(null));
        });
        assertEquals(0, q.qsize());
    }
}
