package dev.asyncio.sync;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.getRunningLoop;
import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Ports asyncio 3.13's test_locks.SemaphoreTests (FIFO fairness fixes included), plus a permit race. */
class SemaphoreTest {

    private static Task<Boolean> acquireAndRecord(Semaphore sem, List<Integer> result, int tag) {
        return createTask(() -> {
            sem.acquire();
            result.add(tag);
            return true;
        });
    }

    @Test
    void initialValueZero() {
        assertTrue(new Semaphore(0).isLocked());
    }

    @Test
    void repr() {
        IsolatedLoop.run(() -> {
            Semaphore sem = new Semaphore();
            assertEquals("<Semaphore [unlocked, value:1]>", sem.toString());
            sem.acquire();
            assertEquals("<Semaphore [locked]>", sem.toString());
            Task<Void> w1 = createTask(() -> {
                sem.acquire();
            });
            Task<Void> w2 = createTask(() -> {
                sem.acquire();
            });
            sleep(0);
            assertEquals("<Semaphore [locked, waiters:2]>", sem.toString());
            w1.cancel();
            w2.cancel();
            sleep(0);
        });
    }

    @Test
    void semaphore() {
        Semaphore sem = new Semaphore();
        assertEquals(1, sem.value());
        assertFalse(sem.isLocked());
    }

    @Test
    void semaphoreValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertTrue(e.getMessage().contains(">= 0"));
    }

    @Test
    void acquire() {
        IsolatedLoop.run(() -> {
            Semaphore sem = new Semaphore(3);
            List<Integer> result = new ArrayList<>();
            sem.acquire();
            sem.acquire();
            assertFalse(sem.isLocked());

            Task<Boolean> t1 = acquireAndRecord(sem, result, 1);
            Task<Boolean> t2 = acquireAndRecord(sem, result, 2);
            Task<Boolean> t3 = acquireAndRecord(sem, result, 3);
            sleep(0);
            assertEquals(List.of(1), result);
            assertTrue(sem.isLocked());
            assertEquals(2, sem.waiterCount());
            assertEquals(0, sem.value());

            Task<Boolean> t4 = acquireAndRecord(sem, result, 4);
            sem.release();
            sem.release();
            assertEquals(0, sem.value());

            sleep(0);
            assertEquals(0, sem.value());
            assertEquals(3, result.size());
            assertTrue(sem.isLocked());
            assertEquals(1, sem.waiterCount());
            assertEquals(0, sem.value());

            assertTrue(t1.isDone() && t1.result());
            List<Task<Boolean>> raceTasks = List.of(t2, t3, t4);
            assertEquals(2, raceTasks.stream().filter(t -> t.isDone() && t.result()).count());

            sem.release();
            Asyncio.gather(raceTasks).await();
        });
    }

    @Test
    void acquireCancel() {
        IsolatedLoop.run(() -> {
            Semaphore sem = new Semaphore();
            sem.acquire();
            Task<Void> acquire = createTask(() -> {
                sem.acquire();
            });
            getRunningLoop().callSoon(acquire::cancel);
            assertThrows(CancelledError.class, acquire::await);
            assertEquals(0, sem.waiterCount());
            assertEquals(0, sem.value());
        });
    }

    @Test
    void acquireCancelBeforeAwoken() {
        IsolatedLoop.run(() -> {
            Semaphore sem = new Semaphore(0);
            List<Task<Void>> t = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                t.add(createTask(() -> {
                    sem.acquire();
                }));
            }
            sleep(0);
            t.get(0).cancel();
            t.get(1).cancel();
            sem.release();
            sleep(0);
            sleep(0);
            assertTrue(t.get(2).isDone());
            assertFalse(t.get(3).isDone());
            t.get(2).cancel();
            t.get(3).cancel();
            sleep(0);
        });
    }

    @Test
    void acquireHang() {
        IsolatedLoop.run(() -> {
            Semaphore sem = new Semaphore(0);
            Task<Void> t1 = createTask(() -> {
                sem.acquire();
            });
            Task<Void> t2 = createTask(() -> {
                sem.acquire();
            });
            sleep(0);
            t1.cancel();
            sem.release();
            sleep(0);
            sleep(0);
            assertTrue(sem.isLocked());
            assertTrue(t2.isDone());
        });
    }

    @Test
    void acquireNoHang() {
        IsolatedLoop.run(() -> {
            Semaphore sem = new Semaphore(1);
            List<Task<Void>> tasks = new ArrayList<>();
            tasks.add(createTask(() -> {
                try (Permit held = sem.acquire()) {
                    sleep(0);
                }
                tasks.get(1).cancel();
            }));
            tasks.add(createTask(() -> {
                try (Permit held = sem.acquire()) {
                    fail("c2 must be cancelled before it gets the permit");
                }
            }));
            List<Object> r = Asyncio.gatherReturnExceptions(tasks).await();
            assertNull(r.get(0));
            assertTrue(r.get(1) instanceof CancelledError);
            Task<Permit> again = createTask(sem::acquire);
            Races.within(1.0, again, "acquire after the cancelled waiter");
        });
    }

    @Test
    void releaseNoWaiters() {
        IsolatedLoop.run(() -> {
            Semaphore sem = new Semaphore();
            sem.acquire();
            assertTrue(sem.isLocked());
            sem.release();
            assertFalse(sem.isLocked());
        });
    }

    @Test
    void acquireFifoOrder() {
        IsolatedLoop.run(() -> {
            Semaphore sem = new Semaphore(1);
            List<String> result = new ArrayList<>();
            List<Task<Void>> tasks = new ArrayList<>();
            for (String tag : List.of("c1", "c2", "c3")) {
                tasks.add(createTask(() -> {
                    sem.acquire();
                    result.add(tag + "_1");
                    sleep(0.01);
                    sem.release();

                    sem.acquire();
                    result.add(tag + "_2");
                    sleep(0.01);
                    sem.release();
                }));
            }
            Asyncio.gather(tasks).await();
            assertEquals(List.of("c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2"), result);
        });
    }

    @Test
    void acquireFifoOrder2() {
        IsolatedLoop.run(() -> {
            Semaphore sem = new Semaphore(1);
            List<Integer> result = new ArrayList<>();
            Task<Boolean> t1 = acquireAndRecord(sem, result, 1);
            Task<Boolean> t2 = createTask(() -> {
                sem.acquire();
                result.add(2);
                sem.release();
                sem.acquire();
                result.add(4);
                return true;
            });
            Task<Boolean> t3 = acquireAndRecord(sem, result, 3);
            sleep(0);
            sem.release();
            sem.release();
            Asyncio.gather(t1, t2, t3).await();
            assertEquals(List.of(1, 2, 3, 4), result);
        });
    }

    @Test
    void acquireFifoOrder3() {
        IsolatedLoop.run(() -> {
            Semaphore sem = new Semaphore(0);
            List<Integer> result = new ArrayList<>();
            Task<Boolean> t1 = acquireAndRecord(sem, result, 1);
            Task<Boolean> t2 = acquireAndRecord(sem, result, 2);
            Task<Boolean> t3 = acquireAndRecord(sem, result, 3);
            sleep(0);
            t1.cancel();
            sleep(0);
            sem.release();
            sem.release();
            Asyncio.gatherReturnExceptions(t1, t2, t3).await();
            assertEquals(List.of(2, 3), result);
        });
    }

    /** A successful acquire() wakes the further waiters that had to queue behind it for FIFO's sake. */
    @Test
    void acquireFifoOrder4() {
        IsolatedLoop.run(() -> {
            Semaphore sem = new Semaphore(0);
            List<Integer> result = new ArrayList<>();
            List<Task<Boolean>> t4 = new ArrayList<>();
            Task<Boolean> t1 = createTask(() -> {
                assertEquals(0, sem.value());
                sem.acquire();
                assertEquals(0, sem.value());        // every waiting task was woken
                t4.add(createTask(() -> {            // runs after c3, not after c2
                    result.add(4);
                    return true;
                }));
                result.add(1);
                return true;
            });
            Task<Boolean> t2 = createTask(() -> {
                sem.release();
                sem.release();
                sem.release();
                assertEquals(2, sem.value());
                assertTrue(sem.isLocked());           // c1 has not woken up yet
                sem.acquire();
                result.add(2);
                return true;
            });
            Task<Boolean> t3 = createTask(() -> {
                sem.acquire();
                assertTrue(sem.isLocked());
                result.add(3);
                return true;
            });
            sleep(0);
            assertEquals(2, sem.value());
            assertEquals(3, sem.waiterCount());
            sleep(0);
            Asyncio.gather(t1, t2, t3, t4.get(0)).await();
            assertEquals(List.of(1, 2, 3, 4), result);
        });
    }

    @Test
    void permitClosesOnce() {
        IsolatedLoop.run(() -> {
            Semaphore sem = new Semaphore(2);
            Permit p = sem.acquire();
            assertEquals(1, sem.value());
            p.close();
            p.close();
            assertEquals(2, sem.value());
        });
    }

    /**
     * Random cancellations against acquire/release of a 3-permit semaphore with fixed seeds: never more
     * than 3 holders, every worker finishes, and all permits are back at the end with no waiter left.
     */
    @Test
    void randomizedCancelVersusRelease() {
        for (long seed = 1; seed <= 25; seed++) {
            Random rnd = new Random(seed);
            long s = seed;
            IsolatedLoop.run(() -> {
                int permits = 3;
                Semaphore sem = new Semaphore(permits);
                int workers = 8;
                int rounds = 20;
                int[] holders = {0};
                int[] maxHolders = {0};
                int[] entered = {0};
                int[] cancelledBeforeEntering = {0};
                List<Task<Void>> tasks = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    tasks.add(createTask(() -> {
                        for (int r = 0; r < rounds; r++) {
                            boolean got = false;
                            try {
                                try (Permit held = sem.acquire()) {
                                    got = true;
                                    holders[0]++;
                                    maxHolders[0] = Math.max(maxHolders[0], holders[0]);
                                    assertTrue(holders[0] <= permits, "too many holders, seed " + s);
                                    entered[0]++;
                                    try {
                                        Races.jitter(rnd);
                                    } finally {
                                        holders[0]--;
                                    }
                                }
                                Races.jitter(rnd);
                            } catch (CancelledError e) {
                                Asyncio.currentTask().uncancel();
                                if (!got) {
                                    cancelledBeforeEntering[0]++;
                                }
                            }
                        }
                    }));
                }
                Task<Void> chaos = createTask(() -> {
                    for (int i = 0; i < 60; i++) {
                        Races.jitter(rnd);
                        Task<Void> victim = tasks.get(rnd.nextInt(workers));
                        if (rnd.nextBoolean()) {
                            victim.cancel();
                        } else {
                            getRunningLoop().callSoon(victim::cancel);
                        }
                    }
                });
                Races.within(3600, Asyncio.gather(tasks), "workers, seed " + s);
                chaos.await();
                assertEquals(permits, sem.value(), "a permit was lost or duplicated, seed " + s);
                assertFalse(sem.isLocked(), "seed " + s);
                assertEquals(0, sem.waiterCount(), "seed " + s);
                assertEquals(permits, maxHolders[0], "seed " + s + " never filled the semaphore");
                assertTrue(cancelledBeforeEntering[0] > 0, "seed " + s + " cancelled no waiter");
                assertEquals(workers * rounds, entered[0] + cancelledBeforeEntering[0], "seed " + s);
            });
        }
    }
}
