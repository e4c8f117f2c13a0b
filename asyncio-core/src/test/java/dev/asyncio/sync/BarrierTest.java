package dev.asyncio.sync;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Coroutine;
import dev.asyncio.Task;
import dev.asyncio.VoidCoroutine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Ports asyncio's test_locks.BarrierTests. */
class BarrierTest {
    private static final int N = 5;

    private static <T> List<Task<T>> makeTasks(int n, Coroutine<T> coro) {
        List<Task<T>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(createTask(coro));
        }
        return tasks;
    }

    private static <T> List<T> gatherTasks(int n, Coroutine<T> coro) {
        return Asyncio.gather(makeTasks(n, coro)).await();
    }

    private static void gatherTasks(int n, VoidCoroutine coro) {
        gatherTasks(n, coro.asCoroutine());
    }

    private static Task<Integer> waitTask(Barrier barrier) {
        return createTask(barrier::await);
    }

    private static boolean matchesRepr(Barrier b) {
        return b.toString().matches("<Barrier \\[(filling|draining|resetting)(, waiters:\\d+/\\d+)\\]>|<Barrier \\[broken\\]>");
    }

    @Test
    void repr() {
        IsolatedLoop.run(() -> {
            Barrier barrier = new Barrier(N);
            assertTrue(matchesRepr(barrier));
            assertEquals("<Barrier [filling, waiters:0/5]>", barrier.toString());

            List<Task<Integer>> waiters = new ArrayList<>();
            int incr = 2;
            for (int i = 0; i < incr; i++) {
                waiters.add(waitTask(barrier));
            }
            sleep(0);
            assertTrue(matchesRepr(barrier));
            assertTrue(barrier.toString().contains("waiters:" + incr + "/" + N));
            assertTrue(barrier.toString().contains("filling"));

            // create the missing waiters
            for (int i = 0, missing = barrier.parties() - barrier.nWaiting(); i < missing; i++) {
                waiters.add(waitTask(barrier));
            }
            sleep(0);
            assertTrue(matchesRepr(barrier));
            assertTrue(barrier.toString().contains("draining"));

            // add a part of waiters, and reset
            for (int i = 0; i < incr; i++) {
                waiters.add(waitTask(barrier));
            }
            sleep(0);
            barrier.reset();
            assertTrue(matchesRepr(barrier));
            assertTrue(barrier.toString().contains("resetting"));

            // add a part of waiters again, and abort
            for (int i = 0; i < incr; i++) {
                waiters.add(waitTask(barrier));
            }
            sleep(0);
            barrier.abort();
            assertTrue(matchesRepr(barrier));
            assertEquals("<Barrier [broken]>", barrier.toString());
            assertTrue(barrier.isBroken());

            List<Object> outcomes = Asyncio.gatherReturnExceptions(waiters).await();
            assertEquals(4, outcomes.stream().filter(o -> o instanceof BrokenBarrierError).count(), outcomes.toString());
        });
    }

    @Test
    void barrierParties() {
        assertThrows(IllegalArgumentException.class, () -> new Barrier(0));
        assertThrows(IllegalArgumentException.class, () -> new Barrier(-4));
        assertEquals(N, new Barrier(N).parties());
    }

    @Test
    void contextManagerForm() {
        IsolatedLoop.run(() -> {
            Barrier barrier = new Barrier(3);
            List<Integer> results = new ArrayList<>();
            gatherTasks(3, () -> {
                int i = barrier.await();     // async with barrier as i:
                results.add(i);
            });
            Collections.sort(results);
            assertEquals(List.of(0, 1, 2), results);
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.isBroken());
        });
    }

    @Test
    void fillingOneTask() {
        IsolatedLoop.run(() -> {
            Barrier barrier = new Barrier(1);
            assertEquals(0, barrier.await());
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.isBroken());
        });
    }

    @Test
    void fillingOneTaskTwice() {
        IsolatedLoop.run(() -> {
            Barrier barrier = new Barrier(1);
            Task<Integer> t1 = waitTask(barrier);
            sleep(0);
            assertEquals(0, barrier.nWaiting());
            Task<Integer> t2 = waitTask(barrier);
            sleep(0);
            assertEquals(t1.result(), t2.result());
            assertEquals(t1.isDone(), t2.isDone());
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.isBroken());
        });
    }

    @Test
    void fillingTaskByTask() {
        IsolatedLoop.run(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> t1 = waitTask(barrier);
            sleep(0);
            assertEquals(1, barrier.nWaiting());
            assertTrue(barrier.toString().contains("filling"));
            Task<Integer> t2 = waitTask(barrier);
            sleep(0);
            assertEquals(2, barrier.nWaiting());
            assertTrue(barrier.toString().contains("filling"));
            Task<Integer> t3 = waitTask(barrier);
            sleep(0);
            List<Integer> indexes = new ArrayList<>(Asyncio.gather(t1, t2, t3).await());
            Collections.sort(indexes);
            assertEquals(List.of(0, 1, 2), indexes);
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.isBroken());
        });
    }

    @Test
    void fillingTasksWaitTwice() {
        IsolatedLoop.run(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results = new ArrayList<>();
            gatherTasks(N, () -> {
                barrier.await();
                results.add(true);
                barrier.await();
                results.add(false);
            });
            assertEquals(N * 2, results.size());
            assertEquals(N, Collections.frequency(results, true));
            assertEquals(N, Collections.frequency(results, false));
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.isBroken());
        });
    }

    @Test
    void fillingTasksCheckReturnValue() {
        IsolatedLoop.run(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results1 = new ArrayList<>();
            List<Boolean> results2 = new ArrayList<>();
            List<Integer> res = new ArrayList<>(gatherTasks(N, () -> {
                barrier.await();
                results1.add(true);
                int i = barrier.await();
                results2.add(true);
                return i;
            }));
            assertEquals(N, results1.size());
            assertEquals(N, results2.size());
            Collections.sort(res);
            assertEquals(IntStream.range(0, N).boxed().toList(), res);
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.isBroken());
        });
    }

    @Test
    void drainingState() {
        IsolatedLoop.run(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results = new ArrayList<>();
            gatherTasks(N, () -> {
                barrier.await();
                // the state goes back to filling when the last task leaves
                results.add(barrier.toString().contains("draining"));
            });
            assertEquals(N, results.size());
            assertFalse(results.get(N - 1));
            assertTrue(results.subList(0, N - 1).stream().allMatch(b -> b));
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.isBroken());
        });
    }

    @Test
    void blockingTasksWhileDraining() {
        IsolatedLoop.run(() -> {
            int rewait = 2;
            Barrier barrier = new Barrier(N);
            Barrier barrierNowaiting = new Barrier(N - rewait);
            int[] rewaitN = {rewait};
            // success means that barrierNowaiting was waited for exactly N - rewait times
            gatherTasks(N, () -> {
                barrier.await();
                if (rewaitN[0] > 0) {
                    rewaitN[0]--;
                    barrier.await();     // wait again, only for the rewait tasks
                } else {
                    barrierNowaiting.await();   // wait for the end of draining
                    barrier.await();            // wait for the other waiting tasks
                }
            });
        });
    }

    @Test
    void fillingTasksCancelOne() {
        IsolatedLoop.run(() -> {
            Barrier barrier = new Barrier(3);
            List<Boolean> results = new ArrayList<>();
            VoidCoroutine coro = () -> {
                barrier.await();
                results.add(true);
            };
            Task<Void> t1 = createTask(coro);
            sleep(0);
            assertEquals(1, barrier.nWaiting());
            Task<Void> t2 = createTask(coro);
            sleep(0);
            assertEquals(2, barrier.nWaiting());

            t1.cancel();
            sleep(0);
            assertEquals(1, barrier.nWaiting());
            assertThrows(CancelledError.class, t1::await);
            assertTrue(t1.isCancelled());

            Task<Void> t3 = createTask(coro);
            sleep(0);
            assertEquals(2, barrier.nWaiting());
            Task<Void> t4 = createTask(coro);
            Asyncio.gather(t2, t3, t4).await();

            assertEquals(3, results.size());
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.isBroken());
        });
    }

    @Test
    void resetBarrier() {
        IsolatedLoop.run(() -> {
            Barrier barrier = new Barrier(1);
            Task<Void> reset = createTask(barrier::reset);
            sleep(0);
            assertTrue(reset.isDone());
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.isBroken());
        });
    }

    @Test
    void resetBarrierWhileTasksWaiting() {
        IsolatedLoop.run(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results = new ArrayList<>();
            List<Task<Void>> tasks = makeTasks(N - 1, ((VoidCoroutine) () -> {
                try {
                    barrier.await();
                } catch (BrokenBarrierError e) {
                    results.add(true);
                }
            }).asCoroutine());
            sleep(0);
            Task<Void> reset = createTask(barrier::reset);
            Asyncio.gather(tasks).await();
            reset.await();
            assertEquals(N - 1, results.size());
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.toString().contains("resetting"));
            assertFalse(barrier.isBroken());
        });
    }

    @Test
    void resetBarrierWhenTasksHalfDraining() {
        IsolatedLoop.run(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results1 = new ArrayList<>();
            int restOfTasks = N / 2;
            gatherTasks(N, () -> {
                try {
                    barrier.await();
                } catch (BrokenBarrierError e) {
                    results1.add(true);     // the tasks still waiting to leave
                    return;
                }
                if (restOfTasks == barrier.count()) {
                    barrier.reset();        // a drained task, outside the barrier
                }
            });
            assertEquals(Collections.nCopies(restOfTasks, true), results1);
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.toString().contains("resetting"));
            assertFalse(barrier.isBroken());
        });
    }

    @Test
    void resetBarrierWhenTasksHalfDrainingHalfBlocking() {
        IsolatedLoop.run(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results1 = new ArrayList<>();
            List<Boolean> results2 = new ArrayList<>();
            int blockingTasks = N / 2;
            int[] count = {0};
            gatherTasks(N, () -> {
                try {
                    barrier.await();
                } catch (BrokenBarrierError e) {
                    results1.add(true);      // the tasks still waiting
                    barrier.await();         // now wait again to reach the parties
                    return;
                }
                count[0]++;
                if (count[0] > blockingTasks) {
                    barrier.reset();         // BrokenBarrierError for the waiting tasks
                    barrier.await();
                } else {
                    try {
                        barrier.await();
                    } catch (BrokenBarrierError e) {
                        results2.add(true);  // never: blocked tasks go on waiting
                    }
                }
            });
            assertEquals(Collections.nCopies(blockingTasks, true), results1);
            assertEquals(List.of(), results2);
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.toString().contains("resetting"));
            assertFalse(barrier.isBroken());
        });
    }

    @Test
    void resetBarrierWhileTasksWaitingAndWaitingAgain() {
        IsolatedLoop.run(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results1 = new ArrayList<>();
            List<Boolean> results2 = new ArrayList<>();
            List<Task<Void>> tasks = makeTasks(N - 1, ((VoidCoroutine) () -> {
                try {
                    barrier.await();
                } catch (BrokenBarrierError e) {
                    results1.add(true);
                } finally {
                    barrier.await();
                    results2.add(true);
                }
            }).asCoroutine());
            // reset: the N-1 waiting tasks get BrokenBarrierError
            Task<Void> reset = createTask(barrier::reset);
            sleep(0);
            // complete the waiting tasks in their finally
            Task<Void> last = createTask(() -> {
                barrier.await();
                results2.add(true);
            });
            Asyncio.gather(tasks).await();
            last.await();
            reset.await();
            assertFalse(barrier.isBroken());
            assertEquals(N - 1, results1.size());
            assertEquals(N, results2.size());
            assertEquals(0, barrier.nWaiting());
        });
    }

    @Test
    void resetBarrierWhileTasksDraining() {
        IsolatedLoop.run(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results1 = new ArrayList<>();
            List<Boolean> results2 = new ArrayList<>();
            List<Boolean> results3 = new ArrayList<>();
            int[] count = {0};
            gatherTasks(N, () -> {
                barrier.await();
                count[0]++;
                if (count[0] == N) {
                    barrier.reset();         // the last task out resets
                    barrier.await();         // and waits to reach the parties
                } else {
                    try {
                        barrier.await();     // second wait
                        results1.add(true);  // N-1 tasks here
                    } catch (RuntimeException e) {
                        results2.add(true);  // never
                    }
                }
                barrier.await();             // pass the barrier once more
                results3.add(true);
            });
            assertFalse(barrier.isBroken());
            assertEquals(N - 1, results1.size());
            assertEquals(0, results2.size());
            assertEquals(N, results3.size());
            assertEquals(0, barrier.nWaiting());
        });
    }

    @Test
    void abortBarrier() {
        IsolatedLoop.run(() -> {
            Barrier barrier = new Barrier(1);
            Task<Void> abort = createTask(barrier::abort);
            sleep(0);
            assertTrue(abort.isDone());
            assertEquals(0, barrier.nWaiting());
            assertTrue(barrier.isBroken());
            assertThrows(BrokenBarrierError.class, barrier::await);
        });
    }

    @Test
    void abortBarrierWhenTasksHalfDrainingHalfBlocking() {
        IsolatedLoop.run(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results1 = new ArrayList<>();
            List<Boolean> results2 = new ArrayList<>();
            int blockingTasks = N / 2;
            int[] count = {0};
            gatherTasks(N, () -> {
                try {
                    barrier.await();
                } catch (BrokenBarrierError e) {
                    results1.add(true);      // tasks waiting to drain
                    return;
                }
                count[0]++;
                if (count[0] > blockingTasks) {
                    barrier.abort();         // BrokenBarrierError for everyone
                } else {
                    try {
                        barrier.await();
                    } catch (BrokenBarrierError e) {
                        results2.add(true);  // blocked tasks, already drained
                    }
                }
            });
            assertTrue(barrier.isBroken());
            assertEquals(Collections.nCopies(blockingTasks, true), results1);
            assertEquals(Collections.nCopies(N - blockingTasks - 1, true), results2);
            assertEquals(0, barrier.nWaiting());
            assertFalse(barrier.toString().contains("resetting"));
        });
    }

    @Test
    void abortBarrierWhenException() {
        IsolatedLoop.run(() -> {
            Barrier barrier = new Barrier(N);
            List<Boolean> results1 = new ArrayList<>();
            List<Boolean> results2 = new ArrayList<>();
            gatherTasks(N, () -> {
                try {
                    int i = barrier.await();
                    if (i == N / 2) {
                        throw new IllegalStateException("fails");
                    }
                    barrier.await();
                    results1.add(true);
                } catch (BrokenBarrierError e) {
                    results2.add(true);
                } catch (IllegalStateException e) {
                    barrier.abort();
                }
            });
            assertTrue(barrier.isBroken());
            assertEquals(0, results1.size());
            assertEquals(N - 1, results2.size());
            assertEquals(0, barrier.nWaiting());
        });
    }

    @Test
    void abortBarrierWhenExceptionThenResetting() {
        IsolatedLoop.run(() -> {
            Barrier barrier1 = new Barrier(N);
            Barrier barrier2 = new Barrier(N);
            List<Boolean> results1 = new ArrayList<>();
            List<Boolean> results2 = new ArrayList<>();
            List<Boolean> results3 = new ArrayList<>();
            gatherTasks(N, () -> {
                try {
                    int i = barrier1.await();
                    if (i == N / 2) {
                        throw new IllegalStateException("fails");
                    }
                    barrier1.await();
                    results1.add(true);
                } catch (BrokenBarrierError e) {
                    results2.add(true);
                } catch (IllegalStateException e) {
                    barrier1.abort();
                }
                // Synchronize and reset the barrier: synchronize first so that everyone has left it
                // when we reset, and after so that no one enters it before the reset.
                int i = barrier2.await();
                if (i == N / 2) {
                    barrier1.reset();
                }
                barrier2.await();
                barrier1.await();
                results3.add(true);
            });
            assertFalse(barrier1.isBroken());
            assertEquals(0, results1.size());
            assertEquals(N - 1, results2.size());
            assertEquals(N, results3.size());
            assertEquals(0, barrier1.nWaiting());
        });
    }
}
