package dev.asyncio.sync;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.getRunningLoop;
import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Task;
import dev.asyncio.TimeoutError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Ports asyncio 3.13's test_locks.ConditionTests, plus a randomized no-lost-wakeup race. */
class ConditionTest {

    private static Task<Boolean> waitAndRecord(Condition cond, List<Integer> result, int tag, boolean release) {
        return createTask(() -> {
            cond.acquire();
            cond.await();
            result.add(tag);
            if (release) {
                cond.release();
            }
            return true;
        });
    }

    @Test
    void await() {
        IsolatedLoop.run(() -> {
            Condition cond = new Condition();
            List<Integer> result = new ArrayList<>();
            Task<Boolean> t1 = waitAndRecord(cond, result, 1, false);
            Task<Boolean> t2 = waitAndRecord(cond, result, 2, false);
            Task<Boolean> t3 = waitAndRecord(cond, result, 3, false);
            sleep(0);
            assertEquals(List.of(), result);
            assertFalse(cond.isLocked());

            cond.acquire();
            cond.signal();
            sleep(0);
            assertEquals(List.of(), result);
            assertTrue(cond.isLocked());

            cond.release();
            sleep(0);
            assertEquals(List.of(1), result);
            assertTrue(cond.isLocked());

            cond.signal(2);
            sleep(0);
            assertEquals(List.of(1), result);
            assertTrue(cond.isLocked());

            cond.release();
            sleep(0);
            assertEquals(List.of(1, 2), result);
            assertTrue(cond.isLocked());

            cond.release();
            sleep(0);
            assertEquals(List.of(1, 2, 3), result);
            assertTrue(cond.isLocked());

            assertTrue(t1.result() && t2.result() && t3.result());
        });
    }

    @Test
    void awaitCancel() {
        IsolatedLoop.run(() -> {
            Condition cond = new Condition();
            cond.acquire();
            Task<Void> wait = createTask(() -> {
                cond.await();
            });
            getRunningLoop().callSoon(wait::cancel);
            assertThrows(CancelledError.class, wait::await);
            assertEquals(0, cond.waiterCount());
            assertTrue(cond.isLocked());
        });
    }

    @Test
    void awaitCancelContested() {
        IsolatedLoop.run(() -> {
            Condition cond = new Condition();
            cond.acquire();
            assertTrue(cond.isLocked());
            Task<Void> waitTask = createTask(() -> {
                cond.await();
            });
            sleep(0);
            assertFalse(cond.isLocked());

            // Signal, but contest the lock before cancelling
            cond.acquire();
            assertTrue(cond.isLocked());
            cond.signal();
            getRunningLoop().callSoon(waitTask::cancel);
            getRunningLoop().callSoon(cond::release);
            try {
                waitTask.await();
            } catch (CancelledError e) {
                // Should not happen, since no cancellation points, but asyncio's test allows it
            }
            assertTrue(cond.isLocked());
        });
    }

    /** bpo-32841: cancelled while re-acquiring after a signal; ends cancelled with the lock released. */
    @Test
    void awaitCancelAfterNotify() {
        IsolatedLoop.run(() -> {
            boolean[] waited = {false};
            Condition cond = new Condition();
            Task<Void> waiter = createTask(() -> {
                try (Permit held = cond.acquire()) {
                    waited[0] = true;
                    cond.await();
                }
            });
            sleep(0);
            cond.acquire();
            cond.signal();
            sleep(0);              // the waiter gets to acquire()
            waiter.cancel();
            sleep(0);              // the cancellation is delivered; it waits for the lock again
            cond.release();
            sleep(0);              // it re-acquires, raises, and its permit releases
            assertTrue(waiter.isCancelled());
            assertTrue(waited[0]);
            assertFalse(cond.isLocked());
        });
    }

    @Test
    void awaitUnacquired() {
        IsolatedLoop.run(() -> {
            Condition cond = new Condition();
            IllegalStateException e = assertThrows(IllegalStateException.class, cond::await);
            assertTrue(e.getMessage().startsWith("cannot wait on un-acquired lock"), e.getMessage());
        });
    }

    @Test
    void awaitFor() {
        IsolatedLoop.run(() -> {
            Condition cond = new Condition();
            boolean[] presult = {false};
            List<Integer> result = new ArrayList<>();
            Task<Boolean> t = createTask(() -> {
                cond.acquire();
                cond.awaitFor(() -> presult[0]);
                result.add(1);
                cond.release();
                return true;
            });
            sleep(0);
            assertEquals(List.of(), result);

            cond.acquire();
            cond.signal();
            cond.release();
            sleep(0);
            assertEquals(List.of(), result);

            presult[0] = true;
            cond.acquire();
            cond.signal();
            cond.release();
            sleep(0);
            assertEquals(List.of(1), result);
            assertTrue(t.isDone() && t.result());
        });
    }

    @Test
    void awaitForUnacquired() {
        IsolatedLoop.run(() -> {
            Condition cond = new Condition();
            cond.awaitFor(() -> true);  // the predicate holds at once: the lock is not needed
            assertThrows(IllegalStateException.class, () -> cond.awaitFor(() -> false));
        });
    }

    @Test
    void signal() {
        IsolatedLoop.run(() -> {
            Condition cond = new Condition();
            List<Integer> result = new ArrayList<>();
            Task<Boolean> t1 = waitAndRecord(cond, result, 1, true);
            Task<Boolean> t2 = waitAndRecord(cond, result, 2, true);
            Task<Boolean> t3 = waitAndRecord(cond, result, 3, true);
            sleep(0);
            assertEquals(List.of(), result);

            cond.acquire();
            cond.signal(1);
            cond.release();
            sleep(0);
            assertEquals(List.of(1), result);

            cond.acquire();
            cond.signal(1);
            cond.signal(2048);
            cond.release();
            sleep(0);
            assertEquals(List.of(1, 2, 3), result);
            assertTrue(t1.result() && t2.result() && t3.result());
        });
    }

    @Test
    void signalAll() {
        IsolatedLoop.run(() -> {
            Condition cond = new Condition();
            List<Integer> result = new ArrayList<>();
            Task<Boolean> t1 = waitAndRecord(cond, result, 1, true);
            Task<Boolean> t2 = waitAndRecord(cond, result, 2, true);
            sleep(0);
            assertEquals(List.of(), result);

            cond.acquire();
            cond.signalAll();
            cond.release();
            sleep(0);
            assertEquals(List.of(1, 2), result);
            assertTrue(t1.result() && t2.result());
        });
    }

    @Test
    void signalUnacquired() {
        Condition cond = new Condition();
        IllegalStateException e = assertThrows(IllegalStateException.class, cond::signal);
        assertTrue(e.getMessage().startsWith("cannot notify on un-acquired lock"), e.getMessage());
        assertThrows(IllegalStateException.class, cond::signalAll);
        cond.acquire();
        assertThrows(IllegalArgumentException.class, () -> cond.signal(-1));
    }

    @Test
    void repr() {
        IsolatedLoop.run(() -> {
            Condition cond = new Condition();
            assertEquals("<Condition [unlocked]>", cond.toString());
            cond.acquire();
            assertEquals("<Condition [locked]>", cond.toString());
            Task<Void> w1 = createTask(() -> {
                try (Permit held = cond.acquire()) {
                    cond.await();
                }
            });
            Task<Void> w2 = createTask(() -> {
                try (Permit held = cond.acquire()) {
                    cond.await();
                }
            });
            cond.release();
            sleep(0);
            assertEquals("<Condition [unlocked, waiters:2]>", cond.toString());
            w1.cancel();
            w2.cancel();
            sleep(0);
            assertEquals("<Condition [unlocked]>", cond.toString());
        });
    }

    @Test
    void contextManager() {
        IsolatedLoop.run(() -> {
            Condition cond = new Condition();
            assertFalse(cond.isLocked());
            try (Permit held = cond.acquire()) {
                assertTrue(cond.isLocked());
            }
            assertFalse(cond.isLocked());
        });
    }

    @Test
    void explicitLock() {
        IsolatedLoop.run(() -> {
            checkExplicit(null, null);
            checkExplicit(new Lock(), null);
            Lock lock = new Lock();
            checkExplicit(lock, new Condition(lock));
        });
    }

    private static void checkExplicit(Lock lock, Condition cond) {
        Lock l = lock == null ? new Lock() : lock;
        Condition c = cond == null ? new Condition(l) : cond;
        assertSame(l, c.getLock());
        assertFalse(l.isLocked());
        assertFalse(c.isLocked());
        try (Permit held = c.acquire()) {
            assertTrue(l.isLocked());
            assertTrue(c.isLocked());
        }
        assertFalse(l.isLocked());
        assertFalse(c.isLocked());
        try (Permit held = l.acquire()) {
            assertTrue(l.isLocked());
            assertTrue(c.isLocked());
        }
        assertFalse(l.isLocked());
        assertFalse(c.isLocked());
    }

    /** asyncio's test_ambiguous_loops: a condition (or its lock) bound to one loop refuses another. */
    @Test
    void ambiguousLoops() {
        Lock boundLock = new Lock();
        Condition boundCond = new Condition();
        IsolatedLoop.run(() -> {
            boundLock.acquire();
            Task<Void> t = createTask(() -> {
                boundLock.acquire();
            });
            sleep(0);
            boundLock.release();
            t.await();
            boundLock.release();

            Task<Void> w = createTask(() -> {
                try (Permit held = boundCond.acquire()) {
                    boundCond.await();
                }
            });
            sleep(0);
            try (Permit held = boundCond.acquire()) {
                boundCond.signal();
            }
            w.await();
        });
        IsolatedLoop.run(() -> {
            // wrong loop in the lock: found when the condition's acquire() uses the lock
            Condition cond = new Condition(boundLock);
            IllegalStateException e = assertThrows(IllegalStateException.class, cond::acquire);
            assertTrue(e.getMessage().contains("is bound to a different event loop"), e.getMessage());

            // wrong loop in the condition: found by await(), before the lock is given up
            try (Permit held = boundCond.acquire()) {
                e = assertThrows(IllegalStateException.class, boundCond::await);
                assertTrue(e.getMessage().contains("is bound to a different event loop"), e.getMessage());
                assertTrue(boundCond.isLocked());
            }
        });
    }

    /**
     * asyncio's {@code async with asyncio.timeout(seconds): await condition.wait_for(predicate)}.
     *
     * @return whether the predicate held in time
     */
    private static boolean awaitForWithin(Condition cond, BooleanSupplier predicate, double seconds) {
        try {
            Asyncio.timeout(Duration.ofNanos((long) (seconds * 1e9)), () -> cond.awaitFor(predicate));
            return true;
        } catch (TimeoutError e) {
            return false;
        }
    }

    /** asyncio's test_timeout_in_block: a timed-out wait leaves the lock held by the waiter. */
    @Test
    void timeoutInBlock() {
        IsolatedLoop.run(() -> {
            Condition condition = new Condition();
            try (Permit held = condition.acquire()) {
                assertFalse(awaitForWithin(condition, () -> false, 0.5));
                assertTrue(condition.isLocked());
            }
            assertFalse(condition.isLocked());
        });
    }

    /** A CancelledError received while awaiting the wake-up is re-raised unchanged (same object). */
    @Test
    void cancelledErrorWakeup() {
        IsolatedLoop.run(() -> {
            Condition cond = new Condition();
            CancelledError[] raised = new CancelledError[1];
            Task<Void> task = createTask(() -> {
                try (Permit held = cond.acquire()) {
                    raised[0] = assertThrows(CancelledError.class, () -> cond.awaitFor(() -> false));
                    assertTrue(cond.isLocked());
                    throw raised[0];
                }
            });
            sleep(0);
            task.cancel("foo");
            CancelledError err = assertThrows(CancelledError.class, task::await);
            assertEquals("foo", err.getMessage());
            assertSame(raised[0], err);
        });
    }

    /** A CancelledError received while re-acquiring the lock is re-raised unchanged. */
    @Test
    void cancelledErrorReacquire() {
        IsolatedLoop.run(() -> {
            Condition cond = new Condition();
            boolean[] wake = {false};
            CancelledError[] raised = new CancelledError[1];
            Task<Void> task = createTask(() -> {
                try (Permit held = cond.acquire()) {
                    raised[0] = assertThrows(CancelledError.class, () -> cond.awaitFor(() -> wake[0]));
                    assertTrue(cond.isLocked());
                    throw raised[0];
                }
            });
            sleep(0);
            cond.acquire();
            wake[0] = true;
            cond.signal();
            sleep(0);
            // the task now re-acquires the lock: cancel it there
            task.cancel("foo");
            cond.release();
            CancelledError err = assertThrows(CancelledError.class, task::await);
            assertEquals("foo", err.getMessage());
            assertSame(raised[0], err);
        });
    }

    /** A task cancelled as it is signalled passes the signal on: no lost wake-up (cancel while queued). */
    @Test
    void cancelledWakeup() {
        cancelledWakeup(false);
    }

    /** The same, cancelled while re-acquiring the lock after the signal. */
    @Test
    void cancelledWakeupRelock() {
        cancelledWakeup(true);
    }

    private static void cancelledWakeup(boolean relock) {
        IsolatedLoop.run(() -> {
            Condition condition = new Condition();
            int[] state = {0};
            List<Task<Void>> consumers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                consumers.add(createTask(() -> {
                    try (Permit held = condition.acquire()) {
                        while (true) {
                            condition.awaitFor(() -> state[0] != 0);
                            if (state[0] < 0) {
                                return;
                            }
                            state[0]--;
                        }
                    }
                }));
            }
            sleep(0);
            try (Permit held = condition.acquire()) {
                state[0]++;
                condition.signal(1);
                if (relock) {
                    sleep(0);  // the signalled consumer wakes and waits for the lock we hold
                }
                consumers.get(0).cancel();
                // the item must be consumed by the other consumer: the signal was not lost
                awaitForWithin(condition, () -> state[0] == 0, 0.01);
                assertEquals(0, state[0]);
                state[0] = -1;
                condition.signalAll();
            }
            consumers.get(1).await();
            assertTrue(consumers.get(0).isCancelled());
        });
    }

    /**
     * Producers signal items to consumers that are randomly cancelled (while waiting, after being
     * signalled, while re-acquiring): every item is consumed exactly once and no consumer is left
     * waiting while items remain.
     */
    @Test
    void randomizedCancelVersusSignal() {
        for (long seed = 1; seed <= 20; seed++) {
            Random rnd = new Random(seed);
            long s = seed;
            IsolatedLoop.run(() -> {
                Condition cond = new Condition();
                int items = 80;
                int[] available = {0};
                int[] consumed = {0};
                boolean[] done = {false};
                List<Task<Void>> consumers = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    consumers.add(createTask(() -> {
                        while (true) {
                            try {
                                try (Permit held = cond.acquire()) {
                                    cond.awaitFor(() -> available[0] > 0 || done[0]);
                                    assertTrue(cond.isLocked(), "seed " + s);
                                    if (available[0] == 0) {
                                        return;
                                    }
                                    available[0]--;
                                    consumed[0]++;
                                }
                                Races.jitter(rnd);
                            } catch (CancelledError e) {
                                Asyncio.currentTask().uncancel();
                            }
                        }
                    }));
                }
                Task<Void> chaos = createTask(() -> {
                    for (int i = 0; i < 50; i++) {
                        Races.jitter(rnd);
                        consumers.get(rnd.nextInt(consumers.size())).cancel();
                    }
                });
                for (int i = 0; i < items; i++) {
                    try (Permit held = cond.acquire()) {
                        available[0]++;
                        cond.signal();
                    }
                    Races.jitter(rnd);
                }
                chaos.await();
                try (Permit held = cond.acquire()) {
                    done[0] = true;
                    cond.signalAll();
                }
                Races.within(3600, Asyncio.gather(consumers), "consumers, seed " + s);
                assertEquals(items, consumed[0], "seed " + s);
                assertEquals(0, available[0], "seed " + s);
                assertFalse(cond.isLocked(), "seed " + s);
                assertEquals(0, cond.waiterCount(), "seed " + s);
            });
        }
    }
}
