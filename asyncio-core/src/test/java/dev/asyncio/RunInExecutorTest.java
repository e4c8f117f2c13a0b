package dev.asyncio;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.getRunningLoop;
import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.Asyncio.toThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code loop.run_in_executor}, the default executor and its shutdown (test_base_events, test_runners). */
class RunInExecutorTest {
    @Test
    void runsOnTheGivenExecutor() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "my-worker"));
        try {
            String name = Asyncio.run(() -> getRunningLoop()
                    .runInExecutor(executor, () -> Thread.currentThread().getName()).await());
            assertEquals("my-worker", name);
        } finally {
            executor.shutdown();
            assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void theDefaultExecutorIsABoundedPoolOfPlatformThreads() {
        int bound = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        // The first `bound` jobs hold their threads until `bound` jobs run at once: the pool is seen full, by an
        // event rather than by jobs sleeping long enough to overlap.
        CountDownLatch full = new CountDownLatch(bound);
        List<Boolean> virtual = Asyncio.run(() -> {
            EventLoop loop = getRunningLoop();
            List<Future<? extends Boolean>> jobs = new ArrayList<>();
            for (int i = 0; i < bound * 2; i++) {
                jobs.add(loop.runInExecutor(null, () -> {
                    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                    full.countDown();
                    boolean sawFull = full.await(30, TimeUnit.SECONDS); // hang guard only
                    running.decrementAndGet();
                    if (!sawFull) {
                        throw new AssertionError("never " + bound + " jobs at once");
                    }
                    return Thread.currentThread().isVirtual();
                }));
            }
            return Asyncio.<Boolean>gather(jobs).await();
        });
        assertEquals(bound * 2, virtual.size());
        assertFalse(virtual.contains(true));
        assertEquals(bound, peak.get(), "exactly " + bound + " at once (the bound, and all of it)");
        assertTrue(peak.get() >= 2, "jobs run in parallel, saw " + peak.get());
    }

    @Test
    void setDefaultExecutorChoosesWhereToThreadRuns() {
        ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
        boolean onVirtual = Asyncio.run(() -> {
            getRunningLoop().setDefaultExecutor(virtualThreads);
            return toThread(() -> Thread.currentThread().isVirtual());
        });
        assertTrue(onVirtual);
        assertTrue(virtualThreads.isShutdown(), "Asyncio.run shuts the default executor down");
    }

    @Test
    void cancellingAQueuedJobKeepsItFromRunning() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean secondRan = new AtomicBoolean();
        try (EventLoop loop = new EventLoop()) {
            loop.runUntilComplete(() -> {
                Future<Object> first = loop.runInExecutor(single, () -> release.await(5, TimeUnit.SECONDS));
                Future<Object> second = loop.runInExecutor(single, () -> secondRan.getAndSet(true));
                assertEquals(2, loop.engine.externalWorkInFlight());
                second.cancel();
                sleep(0); // the done callback that withdraws the job runs
                assertEquals(1, loop.engine.externalWorkInFlight(), "a withdrawn job is no longer work in flight");
                release.countDown();
                assertEquals(true, first.await());
                assertTrue(second.isCancelled());
            });
            single.shutdown();
            assertTrue(single.awaitTermination(5, TimeUnit.SECONDS));
            assertFalse(secondRan.get());
            assertEquals(0, loop.engine.externalWorkInFlight());
        }
    }

    @Test
    void aRejectedJobThrowsAndLeavesNoWorkInFlight() {
        ExecutorService closed = Executors.newSingleThreadExecutor();
        closed.shutdown();
        try (EventLoop loop = new EventLoop()) {
            loop.runUntilComplete(() -> {
                assertThrows(RejectedExecutionException.class, () -> loop.runInExecutor(closed, () -> 1));
                assertEquals(0, loop.engine.externalWorkInFlight());
            });
        }
    }

    @Test
    void fromAForeignThreadWhileTheLoopRunsItIsRefused() {
        AtomicReference<Throwable> error = new AtomicReference<>();
        Asyncio.run(() -> {
            EventLoop loop = getRunningLoop();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    loop.runInExecutor(null, () -> 1);
                } catch (Throwable e) {
                    error.set(e);
                }
            });
            while (t.isAlive()) {
                sleep(0.001);
            }
        });
        assertTrue(error.get() instanceof IllegalStateException, String.valueOf(error.get()));
        assertTrue(error.get().getMessage().contains("runInExecutor() was called from thread"), error.get().getMessage());
    }

    /** Blocks a job until its executor has been shut down (an event; the bound is a hang guard only). */
    private static void awaitShutdown(ExecutorService executor) throws InterruptedException {
        for (int i = 0; i < 30_000 && !executor.isShutdown(); i++) {
            Thread.sleep(1);
        }
        if (!executor.isShutdown()) {
            throw new AssertionError("the executor was never shut down");
        }
    }

    @Test
    void shutdownDefaultExecutorWaitsForRunningJobsThenRefusesNewOnes() {
        AtomicBoolean jobDone = new AtomicBoolean();
        String msg = Asyncio.run(() -> {
            EventLoop loop = getRunningLoop();
            ExecutorService mine = Executors.newFixedThreadPool(1);
            loop.setDefaultExecutor(mine);
            Future<Object> job = loop.runInExecutor(null, () -> {
                awaitShutdown(mine); // still running when shutdownDefaultExecutor begins
                jobDone.set(true);
                return null;
            });
            loop.shutdownDefaultExecutor();
            assertTrue(jobDone.get(), "shutdownDefaultExecutor returns after the threads finished");
            job.await();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> toThread(() -> 1));
            // an explicit executor still works
            ExecutorService own = Executors.newSingleThreadExecutor();
            try {
                assertEquals(7, loop.runInExecutor(own, () -> 7).await());
            } finally {
                own.shutdown();
            }
            return e.getMessage();
        });
        assertTrue(msg.startsWith("Executor shutdown has been called"), msg);
    }

    @Test
    void runWaitsForJobsLeftOnTheDefaultExecutorBeforeClosing() {
        AtomicBoolean jobDone = new AtomicBoolean();
        AtomicReference<ExecutorService> executor = new AtomicReference<>();
        Asyncio.run(() -> {
            EventLoop loop = getRunningLoop();
            ExecutorService mine = Executors.newFixedThreadPool(1);
            executor.set(mine);
            loop.setDefaultExecutor(mine);
            loop.runInExecutor(null, () -> {
                awaitShutdown(mine); // still running when asyncio.run shuts the executor down
                jobDone.set(true);
                return null;
            });
            // returns without awaiting the job
        });
        assertTrue(jobDone.get(), "asyncio.run's shutdown_default_executor lets the job finish");
        assertTrue(executor.get().isTerminated());
    }

    @Test
    void closeShutsTheDefaultExecutorDownWithoutWaiting() throws Exception {
        ExecutorService mine = Executors.newSingleThreadExecutor();
        EventLoop loop = new EventLoop();
        loop.runUntilComplete(() -> {
            loop.setDefaultExecutor(mine);
            assertSame(3, loop.runInExecutor(null, () -> 3).await());
        });
        loop.close();
        assertTrue(mine.isShutdown());
        assertTrue(mine.awaitTermination(5, TimeUnit.SECONDS));
    }

    @Test
    void theJobsExceptionIsTheSameObjectAndNotReportedAsLostOnceAwaited() {
        IllegalArgumentException boom = new IllegalArgumentException("bad input");
        List<ExceptionContext> reported = new ArrayList<>();
        try (EventLoop loop = new EventLoop()) {
            loop.setExceptionHandler((l, c) -> reported.add(c));
            Object caught = loop.runUntilComplete(() -> {
                try {
                    return loop.runInExecutor(null, () -> {
                        throw boom;
                    }).await();
                } catch (IllegalArgumentException e) {
                    return e;
                }
            });
            assertSame(boom, caught);
        }
        assertTrue(reported.isEmpty(), reported::toString);
    }

    @Test
    void aTaskAwaitingAJobCanBeCancelled() {
        CountDownLatch release = new CountDownLatch(1);
        boolean cancelled = Asyncio.run(() -> {
            Task<Object> waiter = createTask(() -> getRunningLoop().runInExecutor(null, () -> release.await(5, TimeUnit.SECONDS)).await());
            sleep(0.01);
            waiter.cancel();
            try {
                waiter.await();
                return false;
            } catch (CancelledError e) {
                return waiter.isCancelled();
            } finally {
                release.countDown();
            }
        });
        assertTrue(cancelled);
    }
}
