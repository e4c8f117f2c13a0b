package dev.asyncio.sync;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.getRunningLoop;
import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Future;
import dev.asyncio.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Ports asyncio's test_locks.LockTests, plus binding, misuse and a randomized cancel-vs-release race. */
class LockTest {

    @Test
    void repr() {
        IsolatedLoop.run(() -> {
            Lock lock = new Lock();
            assertEquals("<Lock [unlocked]>", lock.toString());
            lock.acquire();
            assertEquals("<Lock [locked]>", lock.toString());
            Task<Void> waiter = createTask(() -> {
                lock.acquire();
            });
            sleep(0);
            assertEquals("<Lock [locked, waiters:1]>", lock.toString());
            waiter.cancel();
            sleep(0);
        });
    }

    @Test
    void acquireReturnsAPermitAndLocks() {
        IsolatedLoop.run(() -> {
            Lock lock = new Lock();
            assertFalse(lock.isLocked());
            Permit held = lock.acquire();
            assertTrue(lock.isLocked());
            held.close();
            assertFalse(lock.isLocked());
        });
    }

    @Test
    void acquire() {
        IsolatedLoop.run(() -> {
            Lock lock = new Lock();
            List<Integer> result = new ArrayList<>();
            lock.acquire();
            Task<Boolean> t1 = createTask(() -> {
                lock.acquire();
                result.add(1);
                return true;
            });
            Task<Boolean> t2 = createTask(() -> {
                lock.acquire();
                result.add(2);
                return true;
            });
            sleep(0);
            assertEquals(List.of(), result);

            lock.release();
            sleep(0);
            assertEquals(List.of(1), result);
            sleep(0);
            assertEquals(List.of(1), result);

            Task<Boolean> t3 = createTask(() -> {
                lock.acquire();
                result.add(3);
                return true;
            });
            lock.release();
            sleep(0);
            assertEquals(List.of(1, 2), result);

            lock.release();
            sleep(0);
            assertEquals(List.of(1, 2, 3), result);

            assertTrue(t1.isDone() && t1.result());
            assertTrue(t2.isDone() && t2.result());
            assertTrue(t3.isDone() && t3.result());
        });
    }

    @Test
    void acquireCancel() {
        IsolatedLoop.run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            Task<Void> task = createTask(() -> {
                lock.acquire();
            });
            getRunningLoop().callSoon(task::cancel);
            assertThrows(CancelledError.class, task::await);
            assertEquals(0, lock.waiterCount());
            assertTrue(lock.isLocked());
        });
    }

    /** asyncio's test_cancel_race: a waiter cancelled while the holder releases must not crash or strand C. */
    @Test
    void cancelRace() {
        IsolatedLoop.run(() -> {
            Lock lock = new Lock();
            Future<Void> fa = getRunningLoop().createFuture();
            Task<Void> ta = createTask(() -> lockit(lock, fa));
            sleep(0);
            assertTrue(lock.isLocked());
            Task<Void> tb = createTask(() -> lockit(lock, null));
            sleep(0);
            assertEquals(1, lock.waiterCount());
            Task<Void> tc = createTask(() -> lockit(lock, null));
            sleep(0);
            assertEquals(2, lock.waiterCount());

            fa.setResult(null);
            tb.cancel();
            assertTrue(lock.waiterFutures().peekFirst().isCancelled());
            sleep(0);
            assertFalse(lock.isLocked());
            assertTrue(ta.isDone());
            assertTrue(tb.isCancelled());
            tc.await();
        });
    }

    private static void lockit(Lock lock, Future<?> blocker) {
        try (Permit held = lock.acquire()) {
            if (blocker != null) {
                blocker.await();
            }
        }
    }

    /** asyncio's test_cancel_release_race (bpo-32734): cancel + release at once must not let two in. */
    @Test
    void cancelReleaseRace() {
        IsolatedLoop.run(() -> {
            Lock lock = new Lock();
            int[] lockCount = {0};
            int[] callCount = {0};
            lock.acquire();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(createTask(() -> {
                    callCount[0]++;
                    lock.acquire();
                    lockCount[0]++;
                }));
            }
            Task<Void> t1 = tasks.get(0);
            Task<Void> t2 = tasks.get(1);
            Task<Void> t3 = tasks.get(2);
            sleep(0);

            getRunningLoop().callSoon(() -> {
                t1.cancel();
                lock.release();
            });
            assertThrows(CancelledError.class, t1::await);

            assertEquals(1, lockCount[0]);
            assertEquals(3, callCount[0]);
            assertTrue(t1.isCancelled() && t2.isDone());

            t3.cancel();
            sleep(0);
            assertTrue(t3.isCancelled());
        });
    }

    /** asyncio's test_finished_waiter_cancelled: a woken-then-cancelled waiter must not strand the next one. */
    @Test
    void finishedWaiterCancelled() {
        IsolatedLoop.run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            assertTrue(lock.isLocked());

            Task<Void> tb = createTask(() -> {
                lock.acquire();
            });
            sleep(0);
            assertEquals(1, lock.waiterCount());

            Task<Void> tc = createTask(() -> {
                lock.acquire();
            });
            tb.cancel();
            lock.release();
            sleep(0);

            assertTrue(lock.isLocked());
            assertTrue(tb.isCancelled());
            tc.await();
        });
    }

    /** The head waiter is woken, then cancelled before it runs: it passes the lock to the next waiter. */
    @Test
    void wokenWaiterThatIsCancelledPassesTheLockOn() {
        IsolatedLoop.run(() -> {
            Lock lock = new Lock();
            List<String> order = new ArrayList<>();
            lock.acquire();
            Task<Void> tb = createTask(() -> {
                lock.acquire();
                order.add("b");
            });
            Task<Void> tc = createTask(() -> {
                lock.acquire();
                order.add("c");
            });
            sleep(0);
            lock.release();                                 // wakes b: its future is done
            assertTrue(lock.waiterFutures().peekFirst().isDone());
            tb.cancel();                                    // ... but b is cancelled before it runs
            assertFalse(lock.isLocked());
            assertThrows(CancelledError.class, tb::await);
            tc.await();
            assertEquals(List.of("c"), order);
            assertTrue(lock.isLocked());
            assertEquals(0, lock.waiterCount());
        });
    }

    /** No barging: a newcomer finds the lock free but queues behind the woken waiter. */
    @Test
    void newcomerDoesNotBargeAheadOfAWokenWaiter() {
        IsolatedLoop.run(() -> {
            Lock lock = new Lock();
            List<String> order = new ArrayList<>();
            lock.acquire();
            Task<Void> waiter = createTask(() -> {
                try (Permit held = lock.acquire()) {
                    order.add("waiter");
                }
            });
            sleep(0);
            lock.release();
            assertFalse(lock.isLocked());
            Task<Void> newcomer = createTask(() -> {
                try (Permit held = lock.acquire()) {
                    order.add("newcomer");
                }
            });
            waiter.await();
            newcomer.await();
            assertEquals(List.of("waiter", "newcomer"), order);
        });
    }

    @Test
    void releaseNotAcquired() {
        Lock lock = new Lock();
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
        assertTrue(e.getMessage().startsWith("Lock is not acquired"), e.getMessage());
    }

    @Test
    void releaseNoWaiters() {
        IsolatedLoop.run(() -> {
            Lock lock = new Lock();
            lock.acquire();
            assertTrue(lock.isLocked());
            lock.release();
            assertFalse(lock.isLocked());
        });
    }

    @Test
    void contextManager() {
        IsolatedLoop.run(() -> {
            Lock lock = new Lock();
            assertFalse(lock.isLocked());
            try (Permit held = lock.acquire()) {
                assertTrue(lock.isLocked());
            }
            assertFalse(lock.isLocked());
        });
    }

    @Test
    void permitReleasesOnExceptionAndOnlyOnce() {
        IsolatedLoop.run(() -> {
            Lock lock = new Lock();
            Permit[] kept = new Permit[1];
            assertThrows(ArithmeticException.class, () -> {
                try (Permit held = lock.acquire()) {
                    kept[0] = held;
                    throw new ArithmeticException("boom");
                }
            });
            assertFalse(lock.isLocked());
            kept[0].close();                 // a second close does nothing
            assertFalse(lock.isLocked());

            Permit held = lock.acquire();
            lock.release();
            IllegalStateException e = assertThrows(IllegalStateException.class, held::close);
            assertTrue(e.getMessage().contains("Lock is not acquired"));
        });
    }

    @Test
    void cancelledWhileHoldingReleasesThroughThePermit() {
        IsolatedLoop.run(() -> {
            Lock lock = new Lock();
            Task<Void> holder = createTask(() -> {
                try (Permit held = lock.acquire()) {
                    sleep(3600);
                }
            });
            Task<Void> next = createTask(() -> {
                try (Permit held = lock.acquire()) {
                    assertTrue(lock.isLocked());
                }
            });
            sleep(0);
            holder.cancel();
            next.await();
            assertTrue(holder.isCancelled());
            assertFalse(lock.isLocked());
        });
    }

    /** asyncio's test_ambiguous_loops: a lock that waited on one loop refuses another. */
    @Test
    void boundToTheLoopThatFirstWaited() {
        Lock lock = new Lock();
        IsolatedLoop.run(() -> {
            lock.acquire();
            Task<Void> waiter = createTask(() -> {
                lock.acquire();
            });
            sleep(0);
            lock.release();
            waiter.await();
            lock.release();
        });
        IsolatedLoop.run(() -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, lock::acquire);
            assertTrue(e.getMessage().contains("is bound to a different event loop"), e.getMessage());
            assertFalse(lock.isLocked());
        });
    }

    @Test
    void unboundLockWorksAcrossLoopsAndOutsideAnyLoop() {
        Lock lock = new Lock();
        lock.acquire();                 // no loop: fine while uncontended, as in asyncio
        lock.release();
        for (int i = 0; i < 2; i++) {
            IsolatedLoop.run(() -> {
                try (Permit held = lock.acquire()) {
                    assertTrue(lock.isLocked());
                }
            });
        }
    }

    @Test
    void contendedAcquireOutsideACoroutineIsRefused() {
        Lock lock = new Lock();
        lock.acquire();
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::acquire);
        assertTrue(e.getMessage().contains("must be called from a coroutine"), e.getMessage());
        assertEquals(0, lock.waiterCount());

        IsolatedLoop.run(() -> {
            Throwable[] seen = new Throwable[1];
            Future<Void> ran = getRunningLoop().createFuture();
            getRunningLoop().callSoon(() -> {
                try {
                    lock.acquire();
                } catch (Throwable t) {
                    seen[0] = t;
                }
                ran.setResult(null);
            });
            ran.await();
            assertTrue(seen[0] instanceof IllegalStateException);
            assertTrue(seen[0].getMessage().contains("from a callback"), seen[0].getMessage());
            assertEquals(0, lock.waiterCount());
            lock.release();
        });
    }

    @Test
    void foreignThreadIsRefusedOnceBound() throws Exception {
        Lock lock = new Lock();
        Throwable[] seen = new Throwable[1];
        IsolatedLoop.run(() -> {
            lock.acquire();
            Task<Void> waiter = createTask(() -> {
                lock.acquire();
            });
            sleep(0);                                    // bound now
            Thread t = Thread.ofPlatform().name("intruder").start(() -> {
                try {
                    lock.release();
                } catch (Throwable e) {
                    seen[0] = e;
                }
            });
            t.join();                                    // blocks the loop's turn meanwhile
            lock.release();
            waiter.await();
            lock.release();
        });
        assertTrue(seen[0] instanceof IllegalStateException, String.valueOf(seen[0]));
        assertTrue(seen[0].getMessage().contains("'intruder'") && seen[0].getMessage().contains("not thread-safe"),
                seen[0].getMessage());
    }

    /**
     * Random cancellations against acquire/release with fixed seeds: mutual exclusion always holds, every
     * worker finishes (no wake-up lost), every round either entered the lock or was cancelled before,
     * and the lock ends free with no waiter left.
     */
    @Test
    void randomizedCancelVersusRelease() {
        for (long seed = 1; seed <= 25; seed++) {
            Random rnd = new Random(seed);
            long s = seed;
            IsolatedLoop.run(() -> {
                Lock lock = new Lock();
                int workers = 6;
                int rounds = 25;
                int[] inside = {0};
                int[] entered = {0};
                int[] cancelledBeforeEntering = {0};
                List<Task<Void>> tasks = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    tasks.add(createTask(() -> {
                        for (int r = 0; r < rounds; r++) {
                            boolean got = false;
                            try {
                                try (Permit held = lock.acquire()) {
                                    got = true;
                                    inside[0]++;
                                    assertEquals(1, inside[0], "two coroutines inside the lock, seed " + s);
                                    entered[0]++;
                                    try {
                                        Races.jitter(rnd);
                                    } finally {
                                        inside[0]--;
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
                            // lands in the next iteration, next to the releases and wake-ups of this one
                            getRunningLoop().callSoon(victim::cancel);
                        }
                    }
                });
                Races.within(3600, Asyncio.gather(tasks), "workers, seed " + s);
                chaos.await();
                assertFalse(lock.isLocked(), "seed " + s);
                assertEquals(0, lock.waiterCount(), "seed " + s);
                assertTrue(cancelledBeforeEntering[0] > 0, "seed " + s + " cancelled no waiter");
                assertEquals(workers * rounds, entered[0] + cancelledBeforeEntering[0], "seed " + s);
            });
        }
    }
}
