package dev.asyncio;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.Asyncio.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** asyncio's {@code to_thread} (test_threads.py), plus the loop staying live and virtual time. */
class ToThreadTest {
    @Test
    void runsOnAnotherThreadAndReturnsTheValue() {
        Thread[] seen = new Thread[2];
        String result = Asyncio.run(() -> {
            seen[0] = Thread.currentThread();
            return toThread(() -> {
                seen[1] = Thread.currentThread();
                return "from " + Thread.currentThread().getName();
            });
        });
        assertNotSame(seen[0], seen[1]);
        assertFalse(seen[1].isVirtual(), "the default executor uses platform threads");
        assertTrue(seen[1].isDaemon());
        assertTrue(result.startsWith("from asyncio-executor-"), result);
    }

    @Test
    void exceptionIsRethrownAsTheSameObject() {
        IOException boom = new IOException("disk on fire");
        Object caught = Asyncio.run(() -> {
            try {
                toThread(() -> {
                    throw boom;
                });
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        assertSame(boom, caught);
    }

    @Test
    void theLoopKeepsRunningWhileTheFunctionBlocks() {
        // The thread waits for a latch that only another coroutine of the loop releases.
        CountDownLatch latch = new CountDownLatch(1);
        String r = Asyncio.run(() -> {
            createTask(() -> {
                sleep(0.01);
                latch.countDown();
            });
            return toThread(() -> latch.await(5, TimeUnit.SECONDS) ? "released" : "loop was blocked");
        });
        assertEquals("released", r);
    }

    @Test
    void manyConcurrentCallsAllComplete() {
        List<Integer> results = Asyncio.run(() -> {
            List<Future<? extends Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                tasks.add(createTask(() -> toThread(() -> n * n)));
            }
            return Asyncio.<Integer>gather(tasks).await();
        });
        for (int i = 0; i < 40; i++) {
            assertEquals(i * i, results.get(i));
        }
    }

    @Test
    void contextIsCopiedToTheThreadAndChangesStayThere() {
        ContextVar<String> request = new ContextVar<>("request", "none");
        List<String> r = Asyncio.run(() -> {
            request.set("req-42");
            String inThread = toThread(() -> {
                String v = request.get();
                request.set("changed-in-thread");
                return v + "/" + request.get();
            });
            return List.of(inThread, request.get());
        });
        assertEquals(List.of("req-42/changed-in-thread", "req-42"), r);
    }

    @Test
    void cancellingTheAwaitingTaskDoesNotWaitForTheThreadWhichRunsOn() {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        List<ExceptionContext> reported = new ArrayList<>();
        Object outcome;
        try (EventLoop loop = new EventLoop()) {
            loop.setExceptionHandler((l, c) -> reported.add(c));
            outcome = loop.runUntilComplete(() -> {
                Task<String> t = createTask(() -> toThread(() -> {
                    started.countDown();
                    release.await(5, TimeUnit.SECONDS);
                    finished.set(true);
                    throw new IllegalStateException("dropped: nobody awaits this any more");
                }));
                while (started.getCount() > 0) {
                    sleep(0.001);
                }
                t.cancel("stop waiting");
                try {
                    t.await();
                    return "not cancelled";
                } catch (CancelledError e) {
                    return e.getMessage() + ", thread finished=" + finished.get();
                }
            });
            release.countDown();
            // The job's end is still delivered (and dropped) on the loop; run it so it can be observed.
            loop.runUntilComplete(() -> {
                while (loop.engine.externalWorkInFlight() > 0) {
                    sleep(0.001);
                }
                sleep(0);
            });
        }
        assertEquals("stop waiting, thread finished=false", outcome);
        assertTrue(finished.get());
        assertTrue(reported.isEmpty(), () -> "nothing to report for a cancelled wait: " + reported);
    }

    @Test
    void anAutoJumpingVirtualClockWaitsForTheThread() {
        IdleWatchClock clock = new IdleWatchClock(true);
        try (EventLoop loop = new EventLoop(clock)) {
            AtomicReference<String> order = new AtomicReference<>("");
            double[] timeAfter = new double[1];
            loop.runUntilComplete(() -> {
                Task<Void> sleeper = createTask(() -> {
                    sleep(Duration.ofHours(1));
                    order.updateAndGet(s -> s + "sleeper;");
                });
                toThread(() -> {
                    clock.awaitIdle(); // returns once the loop is idle with the thread in flight: it must not jump
                    return null;
                });
                order.updateAndGet(s -> s + "thread;");
                timeAfter[0] = loop.time();
                sleeper.await();
            });
            assertEquals("thread;sleeper;", order.get());
            assertTrue(timeAfter[0] < 3600, "virtual time jumped while the thread ran: " + timeAfter[0]);
            assertEquals(3600, loop.time(), 1e-6);
        }
    }

    @Test
    void outsideACoroutineItIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> toThread(() -> 1));
        assertTrue(e.getMessage().contains("toThread() must be called from a coroutine"), e.getMessage());
    }
}
