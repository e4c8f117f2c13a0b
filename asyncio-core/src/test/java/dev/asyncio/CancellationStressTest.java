package dev.asyncio;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.gatherReturnExceptions;
import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cancellation racing completion, thousands of tasks, fixed seeds: every task ends exactly one way
 * that its history explains, every finally block runs, no exception is lost and no thread outlives
 * the loop.
 */
class CancellationStressTest {
    private static final int TASKS = 3000;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void cancelRacingCompletionOnOneLoop(long seed) throws InterruptedException {
        Random random = new Random(seed);
        List<ExceptionContext> reported = new CopyOnWriteArrayList<>();
        EventLoop loop = new EventLoop(new VirtualClock());
        loop.setExceptionHandler((l, ctx) -> reported.add(ctx));
        AtomicInteger started = new AtomicInteger();
        AtomicInteger finallies = new AtomicInteger();
        List<Task<Integer>> tasks = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int[] swallow = new int[TASKS];
        long[] delays = new long[TASKS];
        boolean[] requested = new boolean[TASKS];
        for (int i = 0; i < TASKS; i++) {
            swallow[i] = random.nextInt(4) == 0 ? 1 : 0;
            delays[i] = random.nextInt(5);
        }
        List<Object> outcomes = loop.runUntilComplete(() -> {
            // Cancelling a task cancels the future it awaits (asyncio), so each gated task has its own gate.
            List<Future<Integer>> gates = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                gates.add(Asyncio.getRunningLoop().createFuture());
            }
            for (int i = 0; i < TASKS; i++) {
                int id = i;
                tasks.add(createTask(() -> {
                    started.incrementAndGet();
                    threads.add(Thread.currentThread());
                    try {
                        for (int step = 0; step < 3; step++) {
                            sleep(Duration.ofMillis(delays[id]));
                        }
                        if (id % 7 == 0) {
                            return gates.get(id).await() + id;
                        }
                        return id;
                    } catch (CancelledError e) {
                        if (swallow[id] == 1) {
                            return -id;
                        }
                        throw e;
                    } finally {
                        finallies.incrementAndGet();
                    }
                }));
            }
            // The canceller fires at the very virtual instants the sleepers wake up, so cancel requests
            // land before, between and after the steps they race with.
            Task<Void> canceller = createTask(() -> {
                for (int round = 0; round < 15; round++) {
                    sleep(Duration.ofMillis(random.nextInt(3)));
                    for (int k = 0; k < TASKS / 20; k++) {
                        int victim = random.nextInt(TASKS);
                        Task<Integer> t = tasks.get(victim);
                        requested[victim] |= !t.isDone();
                        if (random.nextBoolean()) {
                            t.cancel("round " + round);
                        } else {
                            t.cancel();
                            if (random.nextInt(5) == 0) {
                                t.uncancel();
                            }
                        }
                    }
                    if (round == 10) {
                        for (Future<Integer> gate : gates) {
                            if (!gate.isDone()) {
                                gate.setResult(1_000_000);
                            }
                        }
                    }
                }
            });
            canceller.await();
            return gatherReturnExceptions(tasks).await();
        });
        loop.close();

        assertEquals(TASKS, outcomes.size());
        for (int i = 0; i < TASKS; i++) {
            Task<Integer> t = tasks.get(i);
            Object outcome = outcomes.get(i);
            assertTrue(t.isDone());
            if (t.isCancelled()) {
                assertInstanceOf(CancelledError.class, outcome);
                assertTrue(requested[i], "only a task asked to cancel ends cancelled: " + t);
            } else if (outcome instanceof Integer value) {
                int expected = i % 7 == 0 ? 1_000_000 + i : i;
                if (value != expected) {
                    assertEquals(-i, value, "only a swallowed cancellation changes the result of task " + i);
                    assertEquals(1, swallow[i]);
                    assertTrue(requested[i], "task " + i + " swallowed a cancellation nobody asked for");
                }
            } else {
                fail("task " + i + " ended with an unexpected outcome " + outcome);
            }
        }
        assertEquals(started.get(), finallies.get(), "every started task ran its finally block");
        assertTrue(reported.isEmpty(), "nothing reported as lost: " + reported);
        for (Thread th : threads) {
            th.join(Duration.ofSeconds(10));
            assertFalse(th.isAlive(), "no task thread outlives the loop");
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 8})
    void foreignThreadsCancellingThreadsafeSubmissions(long seed) throws Exception {
        Random random = new Random(seed);
        try (EventLoop loop = new EventLoop()) {
            Thread host = Thread.ofPlatform().start(loop::runForever);
            List<CompletableFuture<Integer>> submitted = new ArrayList<>();
            List<CompletableFuture<String>> unwound = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int id = i;
                CompletableFuture<String> finallyRan = new CompletableFuture<>();
                unwound.add(finallyRan);
                int micros = random.nextInt(300);
                submitted.add(loop.runCoroutineThreadsafe(() -> {
                    try {
                        sleep(Duration.ofNanos(micros * 1000L));
                        return id;
                    } finally {
                        finallyRan.complete("done");
                    }
                }));
            }
            List<Thread> cancellers = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int offset = c;
                cancellers.add(Thread.ofPlatform().start(() -> {
                    for (int i = offset; i < submitted.size(); i += 4) {
                        if ((i * 31 + seed) % 3 == 0) {
                            submitted.get(i).cancel(true);
                        }
                    }
                }));
            }
            for (Thread c : cancellers) {
                c.join();
            }
            for (int i = 0; i < submitted.size(); i++) {
                CompletableFuture<Integer> f = submitted.get(i);
                try {
                    assertEquals(i, f.get(10, TimeUnit.SECONDS));
                } catch (java.util.concurrent.CancellationException e) {
                    assertTrue(f.isCancelled());
                }
            }
            // A cancelled submission either never started its task or unwinds it: wait for the loop to
            // settle, then every started coroutine must have run its finally block.
            CompletableFuture<Void> settled = loop.runCoroutineThreadsafe(() -> {
                while (Asyncio.allTasks().size() > 1) {
                    sleep(Duration.ofMillis(1));
                }
                return null;
            });
            settled.get(10, TimeUnit.SECONDS);
            loop.stop();
            host.join();
            long finished = unwound.stream().filter(CompletableFuture::isDone).count();
            long notCancelled = submitted.stream().filter(f -> !f.isCancelled()).count();
            assertTrue(finished >= notCancelled, finished + " finally blocks for " + notCancelled + " completed tasks");
        }
    }
}
