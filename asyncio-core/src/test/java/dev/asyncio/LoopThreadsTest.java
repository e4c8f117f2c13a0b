package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No thread outlives its loop (issue 11: a {@code wrapFuture} waiter once sat RUNNABLE forever on the
 * carrier of a loop that had ended). Runs in both carrier modes (the surefire executions).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopThreadsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /** Every thread of the JVM, virtual ones included, as the JDK's thread dump lists them. */
    private static String threadDump(Path dir) throws IOException {
        Path file = dir.resolve("threads-" + System.nanoTime() + ".json");
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        return Files.readString(file);
    }

    @Test
    void afterCloseNoTaskOrHelperThreadOfTheLoopIsLeft(@TempDir Path dir) throws Exception {
        EventLoop loop = new EventLoop();
        List<Thread> taskThreads = new CopyOnWriteArrayList<>();
        FutureTask<String> neverRun = new FutureTask<>(() -> "never");
        Task<String> waiter = loop.createTask(() -> {
            taskThreads.add(Thread.currentThread());
            return Asyncio.await(neverRun); // a helper thread waits on the plain Future
        }, "awaits-a-plain-future");
        loop.createTask(() -> {
            taskThreads.add(Thread.currentThread());
            Asyncio.sleep(Duration.ofHours(1));
        }, "sleeps");
        loop.runUntilComplete(() -> {
            taskThreads.add(Thread.currentThread());
            Asyncio.sleep(Duration.ZERO);
            Asyncio.sleep(Duration.ZERO);
            return null;
        });
        assertFalse(waiter.isDone());
        assertTrue(threadDump(dir).contains("asyncio-wrapFuture-waiter"), "the helper runs while the loop is open");

        loop.setExceptionHandler((l, context) -> { }); // "Task was destroyed but it is pending!" is expected
        loop.close();

        assertEquals(3, taskThreads.size());
        for (Thread t : taskThreads) {
            assertTrue(t.join(PATIENCE), () -> t + " outlived close()");
        }
        String dump = threadDump(dir);
        assertFalse(dump.contains("asyncio-wrapFuture-waiter"), () -> "a helper outlived close():\n" + dump);
    }

    @Test
    void aVirtualThreadStartedByACoroutineDoesNotDependOnTheLoop() throws Exception {
        CountDownLatch afterClose = new CountDownLatch(1);
        CompletableFuture<String> ranOn = new CompletableFuture<>();
        Thread[] started = new Thread[1];
        String value = Asyncio.run(() -> {
            CompletableFuture<String> quick = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> quick.complete("done"));
            started[0] = Thread.ofVirtual().name("outlives-the-loop").start(() -> {
                try {
                    afterClose.await();
                    ranOn.complete(Thread.currentThread().toString());
                } catch (InterruptedException e) {
                    ranOn.completeExceptionally(e);
                }
            });
            return Asyncio.await(quick);
        });
        assertEquals("done", value);
        // The loop is closed: a thread scheduled by its carrier would never run again.
        afterClose.countDown();
        assertTrue(started[0].join(PATIENCE), "a virtual thread a coroutine started must not need the loop");
        assertTrue(ranOn.isDone() && !ranOn.isCompletedExceptionally());
    }
}
