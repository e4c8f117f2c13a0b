package dev.asyncio.queues;

import dev.asyncio.sync.IsolatedLoop;
import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.currentTask;
import static dev.asyncio.Asyncio.getRunningLoop;
import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Task;
import dev.asyncio.TimerHandle;
import dev.asyncio.sync.Event;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Ports asyncio 3.13's test_queues (QueueBasicTests, QueueGetTests, QueuePutTests, and through
 * {@link QueueCases} the join and shutdown cases), plus seeded cancel-vs-put/get races.
 */
class QueueTest extends QueueCases {
    @Override
    Queue<Object> newQueue(int maxsize) {
        return new Queue<>(maxsize);
    }

    // ---------------------------------------------------------------- basics

    @Test
    void reprShowsWaitersAndItems() {
        IsolatedLoop.run(() -> {
            Queue<Integer> q = new Queue<>();
            assertTrue(q.toString().startsWith("<Queue"), q.toString());

            Task<Integer> getter = createTask(q::get);
            sleep(0);
            assertTrue(q.toString().contains("getters[1]"), q.toString());
            q.putNowait(0);
            assertEquals(0, getter.await());

            Queue<Integer> bounded = new Queue<>(1);
            bounded.putNowait(1);
            Task<Void> putter = createTask(() -> {
                bounded.put(2);
            });
            sleep(0);
            assertTrue(bounded.toString().contains("putters[1]"), bounded.toString());
            bounded.getNowait();
            putter.await();

            Queue<Integer> one = new Queue<>();
            one.putNowait(1);
            assertTrue(one.toString().contains("queue=[1]"), one.toString());
        });
    }

    @Test
    void empty() {
        IsolatedLoop.run(() -> {
            Queue<Integer> q = new Queue<>();
            assertTrue(q.isEmpty());
            q.put(1);
            assertFalse(q.isEmpty());
            assertEquals(1, q.get());
            assertTrue(q.isEmpty());
        });
    }

    @Test
    void full() {
        IsolatedLoop.run(() -> {
            assertFalse(new Queue<Integer>().isFull());
            Queue<Integer> q = new Queue<>(1);
            q.put(1);
            assertTrue(q.isFull());
            assertFalse(new Queue<Integer>(-1).isFull(), "maxsize <= 0 is unbounded");
        });
    }

    @Test
    void order() {
        IsolatedLoop.run(() -> {
            Queue<Integer> q = new Queue<>();
            for (int i : new int[] {1, 3, 2}) {
                q.put(i);
            }
            List<Integer> items = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                items.add(q.get());
            }
            assertEquals(List.of(1, 3, 2), items);
        });
    }

    @Test
    void maxsize() {
        IsolatedLoop.run(() -> {
            Queue<Integer> q = new Queue<>(2);
            assertEquals(2, q.maxsize());
            List<Integer> haveBeenPut = new ArrayList<>();
            Task<Boolean> t = createTask(() -> {
                for (int i = 0; i < 3; i++) {
                    q.put(i);
                    haveBeenPut.add(i);
                }
                return true;
            });
            sleep(0);
            sleep(0);
            // the putter is blocked after putting two items
            assertEquals(List.of(0, 1), haveBeenPut);
            assertEquals(0, q.get());
            // let the putter resume and put the last item
            sleep(0);
            assertEquals(List.of(0, 1, 2), haveBeenPut);
            assertEquals(1, q.get());
            assertEquals(2, q.get());
            assertTrue(t.isDone() && t.result());
        });
    }

    // ---------------------------------------------------------------- get

    @Test
    void blockingGet() {
        IsolatedLoop.run(() -> {
            Queue<Integer> q = new Queue<>();
            q.putNowait(1);
            assertEquals(1, q.get());
        });
    }

    @Test
    void getWakesAWaitingPutter() {
        IsolatedLoop.run(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.put(1);
            Task<Void> putter = createTask(() -> {
                q.put(2);
            });
            sleep(0);
            assertEquals(1, q.putterCount());
            assertEquals(1, q.get());
            assertEquals(0, q.putterCount());   // woken and dequeued by get
            putter.await();
            assertEquals(2, q.getNowait());
        });
    }

    @Test
    void blockingGetWait() {
        IsolatedLoop.run(() -> {
            Queue<Integer> q = new Queue<>();
            Event started = new Event();
            boolean[] finished = {false};
            Task<Integer> queueGetTask = createTask(() -> {
                started.set();
                int res = q.get();
                finished[0] = true;
                return res;
            });
            started.await();
            assertFalse(finished[0]);
            getRunningLoop().callLater(0.01, () -> q.putNowait(1));
            int res = queueGetTask.await();
            assertTrue(finished[0]);
            assertEquals(1, res);
        });
    }

    @Test
    void nonblockingGet() {
        Queue<Integer> q = new Queue<>();
        q.putNowait(1);
        assertEquals(1, q.getNowait());
    }

    @Test
    void nonblockingGetException() {
        Queue<Integer> q = new Queue<>();
        assertThrows(QueueEmpty.class, q::getNowait);
    }

    @Test
    void getCancelledRace() {
        IsolatedLoop.run(() -> {
            Queue<String> q = new Queue<>();
            Task<String> t1 = createTask(q::get);
            Task<String> t2 = createTask(q::get);
            sleep(0);
            t1.cancel();
            sleep(0);
            assertTrue(t1.isDone());
            q.put("a");
            sleep(0);
            assertEquals("a", t2.await());
        });
    }

    @Test
    void getWithWaitingPutters() {
        IsolatedLoop.run(() -> {
            Queue<String> q = new Queue<>(1);
            Task<Void> a = createTask(() -> {
                q.put("a");
            });
            Task<Void> b = createTask(() -> {
                q.put("b");
            });
            assertEquals("a", q.get());
            assertEquals("b", q.get());
            Asyncio.gather(a, b).await();
        });
    }

    @Test
    void whyAreGettersWaiting() {
        IsolatedLoop.run(() -> {
            Queue<Integer> q = new Queue<>(1);
            int n = 5;
            Task<Void> producer = createTask(() -> {
                for (int i = 0; i < n; i++) {
                    q.put(i);
                }
            });
            Task<Void> consumer = createTask(() -> {
                for (int i = 0; i < n; i++) {
                    q.get();
                }
            });
            IsolatedLoop.awaitWithin(Asyncio.gather(producer, consumer), 1, "producer and consumer");
        });
    }

    @Test
    void cancelledGettersNotBeingHeldInSelfGetters() {
        IsolatedLoop.run(() -> {
            Queue<Integer> queue = new Queue<>(5);
            assertFalse(getWithin(queue, 0.1));      // asyncio: wait_for(queue.get(), 0.1) -> TimeoutError
            assertEquals(0, queue.getterCount());
        });
    }

    /** {@code wait_for(queue.get(), seconds)}, built from a timer that cancels the task. */
    private static boolean getWithin(Queue<?> queue, double seconds) {
        Task<?> me = currentTask();
        boolean[] fired = {false};
        TimerHandle timer = getRunningLoop().callLater(seconds, () -> {
            fired[0] = true;
            me.cancel();
        });
        try {
            queue.get();
            return true;
        } catch (CancelledError e) {
            if (fired[0] && me.uncancel() == 0) {
                return false;
            }
            throw e;
        } finally {
            timer.cancel();
        }
    }

    // ---------------------------------------------------------------- put

    @Test
    void blockingPut() {
        IsolatedLoop.run(() -> {
            Queue<Integer> q = new Queue<>();
            q.put(1);      // no maxsize: does not block
            assertEquals(1, q.get());
        });
    }

    @Test
    void blockingPutWait() {
        IsolatedLoop.run(() -> {
            Queue<Integer> q = new Queue<>(1);
            Event started = new Event();
            boolean[] finished = {false};
            getRunningLoop().callLater(0.01, q::getNowait);
            Task<Void> queuePutTask = createTask(() -> {
                started.set();
                q.put(1);
                q.put(2);
                finished[0] = true;
            });
            started.await();
            assertFalse(finished[0]);
            queuePutTask.await();
            assertTrue(finished[0]);
        });
    }

    @Test
    void nonblockingPut() {
        Queue<Integer> q = new Queue<>();
        q.putNowait(1);
        assertEquals(1, q.getNowait());
    }

    /** A getter woken for item 1 and then cancelled leaves it in the queue: 1 is not dropped. */
    @Test
    void getCancelDropOnePendingReader() {
        IsolatedLoop.run(() -> {
            Queue<Integer> q = new Queue<>();
            Task<Integer> reader = createTask(q::get);
            sleep(0);
            q.putNowait(1);
            q.putNowait(2);
            reader.cancel();
            try {
                reader.await();
            } catch (CancelledError e) {
                reader = createTask(q::get);   // try again
                reader.await();
            }
            assertEquals(1, reader.result(), "if we get 2, 1 was dropped");
        });
    }

    @Test
    void getCancelDropManyPendingReaders() {
        IsolatedLoop.run(() -> {
            Queue<Integer> q = new Queue<>();
            Task<Integer> reader1 = createTask(q::get);
            Task<Integer> reader2 = createTask(q::get);
            Task<Integer> reader3 = createTask(q::get);
            sleep(0);
            q.putNowait(1);
            q.putNowait(2);
            reader1.cancel();
            assertThrows(CancelledError.class, reader1::await);
            reader3.await();
            reader2.await();
            // it is undefined in which order concurrent readers receive results
            assertEquals(Set.of(1, 2), Set.of(reader2.result(), reader3.result()));
        });
    }

    /** A putter woken for a free slot and then cancelled did not put: retrying puts exactly once. */
    @Test
    void putCancelDrop() {
        IsolatedLoop.run(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.putNowait(1);
            Task<Void> writer = createTask(() -> {
                q.put(2);       // has to block: qsize = 1
            });
            sleep(0);
            assertEquals(1, q.getNowait());
            writer.cancel();
            try {
                writer.await();
            } catch (CancelledError e) {
                writer = createTask(() -> {
                    q.put(2);  // try again
                });
                writer.await();
            }
            assertEquals(2, q.getNowait());
            assertEquals(0, q.qsize());
        });
    }

    @Test
    void nonblockingPutException() {
        Queue<Integer> q = new Queue<>(1);
        q.putNowait(1);
        assertThrows(QueueFull.class, () -> q.putNowait(2));
    }

    @Test
    void putCancelled() {
        IsolatedLoop.run(() -> {
            Queue<Integer> q = new Queue<>();
            Task<Boolean> t = createTask(() -> {
                q.put(1);
                return true;
            });
            assertEquals(1, q.get());
            assertTrue(t.isDone() && t.result());
        });
    }

    @Test
    void putCancelledRace() {
        IsolatedLoop.run(() -> {
            Queue<String> q = new Queue<>(1);
            Task<Void> putA = createTask(() -> {
                q.put("a");
            });
            Task<Void> putB = createTask(() -> {
                q.put("b");
            });
            Task<Void> putC = createTask(() -> {
                q.put("X");
            });
            sleep(0);
            assertTrue(putA.isDone());
            assertFalse(putB.isDone());

            putC.cancel();
            sleep(0);
            assertTrue(putC.isDone());
            assertEquals("a", q.getNowait());
            sleep(0);
            assertEquals("b", q.getNowait());
            putB.await();
        });
    }

    @Test
    void putWithWaitingGetters() {
        IsolatedLoop.run(() -> {
            Queue<String> q = new Queue<>();
            Task<String> t = createTask(q::get);
            sleep(0);
            q.put("a");
            assertEquals("a", t.await());
        });
    }

    @Test
    void whyArePuttersWaiting() {
        IsolatedLoop.run(() -> {
            Queue<Integer> queue = new Queue<>(2);
            List<Task<?>> tasks = new ArrayList<>();
            tasks.add(createTask(() -> {
                sleep(0);
                int num = queue.qsize();
                for (int i = 0; i < num; i++) {
                    queue.getNowait();
                }
            }));
            for (int i = 0; i < 4; i++) {
                int item = i;
                tasks.add(createTask(() -> {
                    queue.put(item);
                }));
            }
            IsolatedLoop.awaitWithin(Asyncio.gatherReturnExceptions(tasks), 1, "getter and putters");
            for (Task<?> t : tasks) {
                t.result();
            }
        });
    }

    @Test
    void cancelledPutsNotBeingHeldInSelfPutters() {
        IsolatedLoop.run(() -> {
            Queue<Integer> queue = new Queue<>(1);
            queue.putNowait(1);
            Task<Void> putTask = createTask(() -> {
                queue.put(1);
            });
            sleep(0);
            assertEquals(1, queue.putterCount());
            putTask.cancel();
            assertThrows(CancelledError.class, putTask::await);
            assertEquals(0, queue.putterCount());
        });
    }

    @Test
    void cancelledPutAfterGetNowaitTookItsFuture() {
        IsolatedLoop.run(() -> {
            Queue<Integer> queue = new Queue<>(1);
            queue.putNowait(1);
            Task<Void> putTask = createTask(() -> {
                queue.put(1);
            });
            sleep(0);
            queue.getNowait();     // removes the putter's future from the putters
            putTask.cancel();      // ... so the putter's own removal finds nothing, silently
            assertThrows(CancelledError.class, putTask::await);
            assertEquals(0, queue.qsize(), "a cancelled putter must not put");
        });
    }

    // ---------------------------------------------------------------- binding and threads

    @Test
    void fillBeforeTheLoopThenBoundToIt() {
        Queue<Integer> q = new Queue<>();
        q.putNowait(1);                      // no loop yet: allowed, as in asyncio
        IsolatedLoop.run(() -> {
            assertEquals(1, q.get());
            Task<Integer> getter = createTask(q::get);
            sleep(0);                        // waited: the queue is bound to this loop now
            q.putNowait(2);
            assertEquals(2, getter.await());
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.putNowait(3));
        assertTrue(e.getMessage().contains("not thread-safe"), e.getMessage());
        IsolatedLoop.run(() -> {
            IllegalStateException other = assertThrows(IllegalStateException.class, q::get);
            assertTrue(other.getMessage().contains("is bound to a different event loop"), other.getMessage());
        });
    }

    @Test
    void getOutsideACoroutineOnAnEmptyQueueIsRefused() {
        Queue<Integer> q = new Queue<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, q::get);
        assertTrue(e.getMessage().contains("Queue.get() must be called from a coroutine"), e.getMessage());
        assertEquals(0, q.getterCount());
    }

    // ---------------------------------------------------------------- races

    /**
     * Producers put distinct items into a small bounded queue with put(), consumers take them with
     * get(), and a chaos task cancels producers and consumers at random points (waiting, just woken,
     * between operations), with fixed seeds. A cancelled put() must not have put and is retried; a
     * cancelled get() must not have taken. In the end every item is received exactly once.
     */
    @Test
    void randomizedCancelVersusPutAndGet() {
        int[] totalCancelledPuts = {0};
        int[] totalCancelledGets = {0};
        for (long seed = 1; seed <= 25; seed++) {
            Random rnd = new Random(seed);
            long s = seed;
            IsolatedLoop.run(() -> {
                Queue<Integer> q = new Queue<>(2);
                int producers = 3;
                int perProducer = 30;
                List<Integer> received = new ArrayList<>();
                int[] cancelledPuts = {0};
                int[] cancelledGets = {0};
                List<Task<Void>> producerTasks = new ArrayList<>();
                for (int p = 0; p < producers; p++) {
                    int base = p * 1000;
                    producerTasks.add(createTask(() -> {
                        for (int i = 0; i < perProducer; i++) {
                            while (true) {
                                try {
                                    q.put(base + i);
                                    break;
                                } catch (CancelledError e) {
                                    currentTask().uncancel();
                                    cancelledPuts[0]++;
                                }
                            }
                            try {
                                jitter(rnd);
                            } catch (CancelledError e) {
                                currentTask().uncancel();
                            }
                        }
                    }));
                }
                boolean[] producing = {true};
                List<Task<Void>> consumerTasks = new ArrayList<>();
                for (int c = 0; c < 3; c++) {
                    consumerTasks.add(createTask(() -> {
                        while (true) {
                            try {
                                received.add(q.get());
                                q.taskDone();
                                jitter(rnd);
                            } catch (CancelledError e) {
                                currentTask().uncancel();
                                cancelledGets[0]++;
                            } catch (QueueShutDown e) {
                                return;
                            }
                        }
                    }));
                }
                List<Task<Void>> all = new ArrayList<>(producerTasks);
                all.addAll(consumerTasks);
                Task<Void> chaos = createTask(() -> {
                    while (producing[0]) {
                        jitter(rnd);
                        Task<Void> victim = all.get(rnd.nextInt(all.size()));
                        if (rnd.nextBoolean()) {
                            victim.cancel();
                        } else {
                            getRunningLoop().callSoon(victim::cancel);
                        }
                    }
                });
                IsolatedLoop.awaitWithin(Asyncio.gather(producerTasks), 3600, "producers, seed " + s);
                producing[0] = false;
                chaos.await();
                IsolatedLoop.awaitWithin(createTask(q::join), 3600, "join, seed " + s);
                q.shutdown();
                IsolatedLoop.awaitWithin(Asyncio.gather(consumerTasks), 3600, "consumers, seed " + s);

                List<Integer> expected = new ArrayList<>();
                for (int p = 0; p < producers; p++) {
                    for (int i = 0; i < perProducer; i++) {
                        expected.add(p * 1000 + i);
                    }
                }
                List<Integer> sorted = new ArrayList<>(received);
                Collections.sort(sorted);
                assertEquals(expected, sorted, "items lost or duplicated, seed " + s);
                assertEquals(received.size(), new HashSet<>(received).size(), "seed " + s);
                totalCancelledPuts[0] += cancelledPuts[0];
                totalCancelledGets[0] += cancelledGets[0];
                assertEquals(0, q.getterCount() + q.putterCount(), "seed " + s);
                assertEquals(0, q.unfinishedTasks(), "seed " + s);
            });
        }
        assertTrue(totalCancelledPuts[0] > 20 && totalCancelledGets[0] > 20,
                "the seeds cancelled too few puts or gets: " + totalCancelledPuts[0] + "/" + totalCancelledGets[0]);
    }

    private static void jitter(Random rnd) {
        int r = rnd.nextInt(4);
        Asyncio.sleep(r == 0 ? 0.0 : r * 0.001);
    }
}
