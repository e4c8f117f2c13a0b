package dev.asyncio;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.dumpTasks;
import static dev.asyncio.Asyncio.getRunningLoop;
import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code Asyncio.dumpTasks()}: asyncio 3.14's call-graph listing, from the loop and from outside. */
class DumpTasksTest {
    private static String waitForSignal(Future<String> signal) {
        return signal.await();
    }

    private static String awaitChild(Task<String> child) {
        return child.await();
    }

    /** The lines of the block that describes one task, up to the next task. */
    private static String block(String dump, String taskName) {
        int start = dump.indexOf("* Task '" + taskName + "'");
        assertTrue(start >= 0, () -> taskName + " missing from:\n" + dump);
        int end = dump.indexOf("\n* Task '", start + 1);
        return dump.substring(start, end < 0 ? dump.length() : end + 1);
    }

    @Test
    void listsEveryTaskWithStateWhatItAwaitsWhoAwaitsItAndItsStack() {
        AtomicReference<String> mainName = new AtomicReference<>();
        String dump = Asyncio.run(() -> {
            mainName.set(Asyncio.currentTask().getName());
            Future<String> signal = getRunningLoop().createFuture();
            Task<String> child = createTask(() -> waitForSignal(signal), "child");
            Task<String> parent = createTask(() -> awaitChild(child), "parent");
            Task<Void> sleeper = createTask(() -> sleep(60), "sleeper");
            sleep(0);
            createTask(() -> { }, "fresh");
            String d = dumpTasks();
            signal.setResult("go");
            parent.await();
            sleeper.cancel();
            return d;
        }, false);
        assertTrue(dump.startsWith("5 pending tasks of EventLoop[running"), dump);
        assertFalse(dump.contains("may be inconsistent"), dump);

        String main = block(dump, mainName.get());
        assertTrue(main.contains("(running)"), dump);
        List<String> mainFrames = main.lines().filter(l -> l.trim().startsWith("at ")).toList();
        assertTrue(mainFrames.get(0).contains("DumpTasksTest"),
                () -> "the running task's stack starts at its dumpTasks() call: " + main);

        String child = block(dump, "child");
        assertTrue(child.contains("(suspended)"), child);
        assertTrue(child.contains("awaits: <Future pending>"), child);
        assertTrue(child.contains("awaited by: Task 'parent'"), child);
        List<String> childFrames = child.lines().filter(l -> l.trim().startsWith("at ")).toList();
        assertTrue(childFrames.get(0).contains("dev.asyncio.Future.await"),
                () -> "the stack starts at the await, without the loop's machinery: " + child);
        assertTrue(childFrames.get(1).contains("waitForSignal"), child);
        assertFalse(child.contains("runOnThread"), child);

        String parent = block(dump, "parent");
        assertTrue(parent.contains("awaits: Task 'child'"), parent);
        assertTrue(parent.contains("awaitChild"), parent);

        String sleeper = block(dump, "sleeper");
        assertTrue(sleeper.contains("Asyncio.sleep"), sleeper);

        String fresh = block(dump, "fresh");
        assertTrue(fresh.contains("(not started)"), fresh);
    }

    @Test
    void showsACancellationInFlight() {
        String dump = Asyncio.run(() -> {
            Task<Void> t = createTask(() -> sleep(60), "doomed");
            sleep(0);
            t.cancel();
            t.cancel();
            String d = dumpTasks();
            sleep(0);
            return d;
        });
        assertTrue(block(dump, "doomed").contains("cancelling=2"), dump);
    }

    @Test
    void fromAnotherThreadTheLoopMakesTheListing() throws Exception {
        AtomicReference<String> fromOutside = new AtomicReference<>();
        Asyncio.run(() -> {
            EventLoop loop = getRunningLoop();
            Task<Void> idle = createTask(() -> sleep(60), "idler");
            Thread t = Thread.ofPlatform().start(() -> fromOutside.set(loop.dumpTasks()));
            while (t.isAlive()) {
                sleep(0.001);
            }
            idle.cancel();
        });
        String dump = fromOutside.get();
        assertFalse(dump.contains("may be inconsistent"), dump);
        assertTrue(block(dump, "idler").contains("Asyncio.sleep"), dump);
    }

    @Test
    void aStuckLoopIsStillDescribedFromOutside() throws Exception {
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch dumped = new CountDownLatch(1);
        AtomicReference<String> fromOutside = new AtomicReference<>();
        try (EventLoop loop = new EventLoop()) {
            Thread outside = Thread.ofPlatform().start(() -> {
                // Only once the blocker holds the turn: asked earlier, the loop may answer between two steps.
                awaitUninterruptibly(blocking);
                fromOutside.set(loop.dumpTasks()); // waits 1 s for the loop, then reads without it
                dumped.countDown();
            });
            loop.runUntilComplete(() -> {
                createTask(() -> {
                    blocking.countDown();
                    // Blocks the turn: the loop cannot answer.
                    dumped.await(10, TimeUnit.SECONDS);
                }, "blocker").await();
            });
            outside.join();
        }
        String dump = fromOutside.get();
        assertTrue(dump.contains("may be inconsistent"), dump);
        String blocker = block(dump, "blocker");
        assertTrue(blocker.contains("(running)"), blocker);
        assertTrue(blocker.contains("CountDownLatch.await"), () -> "it shows where the loop is stuck: " + blocker);
    }

    @Test
    void anIdleLoopIsDescribedAtOnce() {
        try (EventLoop loop = new EventLoop()) {
            assertEquals("0 pending tasks of " + loop + "\n", loop.dumpTasks());
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
