package dev.asyncio;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Debug mode: the watchdog that reports a step stuck on the turn, and foreign-thread calls. */
class DebugModeTest {
    private static EventLoop debugLoop(ConcurrentLinkedQueue<SlowCallback> reports, CountDownLatch inProgress) {
        return debugLoop(new EventLoop(), reports, inProgress);
    }

    private static EventLoop debugLoop(EventLoop loop, ConcurrentLinkedQueue<SlowCallback> reports, CountDownLatch inProgress) {
        loop.setDebug(true);
        loop.setSlowCallbackDuration(Duration.ofMillis(40));
        loop.setSlowCallbackListener(r -> {
            reports.add(r);
            if (r.inProgress()) {
                inProgress.countDown();
            }
        });
        return loop;
    }

    /**
     * Blocks the loop's turn (as a careless coroutine would) until the watchdog has spoken: the test waits for
     * the report itself, however slowly a loaded machine delivers it. The timeout is only a hang guard.
     */
    private static boolean holdTheTurnUntil(CountDownLatch latch) throws InterruptedException {
        return latch.await(30, TimeUnit.SECONDS);
    }

    @Test
    void aStuckTaskIsReportedWhileStuckWithItsNameAndStack() {
        ConcurrentLinkedQueue<SlowCallback> reports = new ConcurrentLinkedQueue<>();
        CountDownLatch twoReports = new CountDownLatch(2);
        boolean reportedWhileStuck;
        try (EventLoop loop = debugLoop(reports, twoReports)) {
            reportedWhileStuck = loop.runUntilComplete(() -> createTask(() -> holdTheTurnUntil(twoReports), "stuck-worker").await());
        }
        assertTrue(reportedWhileStuck, "the watchdog reported while the task still held the turn");
        // Only the stuck task is of interest (a cold JVM may make the first step of the main task slow too).
        List<SlowCallback> stuck = reports.stream()
                .filter(r -> r.inProgress() && "stuck-worker".equals(r.taskName())).toList();
        assertTrue(stuck.size() >= 2, "reported again as it stays stuck: " + stuck);
        SlowCallback first = stuck.get(0);
        assertEquals("stuck-worker", first.taskName());
        assertNull(first.handle());
        // Consistency of the reports with each other and with the configured threshold, not a stopwatch: the
        // watchdog reports only past the threshold, again only once the time has doubled, and the final total
        // is measured from the same start. A slower machine makes every figure larger, never the checks false.
        assertTrue(first.elapsed().compareTo(Duration.ofMillis(40)) > 0, "only past the threshold: " + first.elapsed());
        assertTrue(stuck.get(1).elapsed().compareTo(first.elapsed().multipliedBy(2)) >= 0,
                "the next report comes when the time has doubled: " + stuck);
        assertTrue(first.stack().stream().anyMatch(e -> e.getMethodName().equals("holdTheTurnUntil")),
                () -> "the stack shows where it is stuck: " + first.stack());
        String message = first.toString();
        assertTrue(message.contains("Task 'stuck-worker' has held the event loop for"), message);
        assertTrue(message.contains("holdTheTurnUntil"), message);
        // After the step, the final report with the total time.
        List<SlowCallback> finals = reports.stream()
                .filter(r -> !r.inProgress() && "stuck-worker".equals(r.taskName())).toList();
        assertEquals(1, finals.size(), reports::toString);
        assertEquals("stuck-worker", finals.get(0).taskName());
        assertTrue(finals.get(0).elapsed().compareTo(stuck.get(1).elapsed()) >= 0);
        assertTrue(finals.get(0).toString().startsWith("Executing <Task"), finals.get(0).toString());
    }

    /**
     * A coroutine that blocks its thread without suspending (here, {@code blockingCall}) stalls the loop: debug
     * mode must say so while it is stuck, with the task's name and the stack at the blocking call. The listener
     * ends the blocking call once it has the report ({@code release}), so nothing here depends on timing.
     */
    private static SlowCallback reportOfABlockingCall(String taskName, java.util.function.Function<Thread, Runnable> releaseOf,
            Coroutine<Boolean> blockingCall) {
        ConcurrentLinkedQueue<SlowCallback> reports = new ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicReference<Runnable> release = new java.util.concurrent.atomic.AtomicReference<>();
        boolean endedByTheReport;
        try (EventLoop loop = new EventLoop()) {
            loop.setDebug(true);
            loop.setSlowCallbackDuration(Duration.ofMillis(40));
            loop.setSlowCallbackListener(r -> {
                reports.add(r);
                Runnable end = release.get();
                if (r.inProgress() && taskName.equals(r.taskName()) && end != null) {
                    end.run();
                }
            });
            endedByTheReport = loop.runUntilComplete(() -> createTask(() -> {
                release.set(releaseOf.apply(Thread.currentThread()));
                return blockingCall.call();
            }, taskName).await());
        }
        assertTrue(endedByTheReport, "the blocking call ended because the watchdog reported it");
        SlowCallback first = reports.stream().filter(r -> r.inProgress() && taskName.equals(r.taskName()))
                .findFirst().orElseThrow();
        assertTrue(first.toString().contains("Task '" + taskName + "' has held the event loop for"), first.toString());
        assertTrue(reports.stream().anyMatch(r -> !r.inProgress() && taskName.equals(r.taskName())),
                () -> "and the step's total once it ended: " + reports);
        return first;
    }

    @Test
    void aThreadSleepInACoroutineIsReportedWithTheTaskAndStack() {
        SlowCallback r = reportOfABlockingCall("sleeper", thread -> thread::interrupt, () -> {
            try {
                Thread.sleep(Duration.ofMinutes(5)); // blocks the turn; only the listener's interrupt ends it
                return false;
            } catch (InterruptedException e) {
                return true;
            }
        });
        assertTrue(r.stack().stream().anyMatch(e -> e.getClassName().equals("java.lang.Thread") && e.getMethodName().equals("sleep")),
                () -> "the stack shows Thread.sleep: " + r.stack());
        assertTrue(r.stack().stream().anyMatch(e -> e.getClassName().startsWith(DebugModeTest.class.getName())),
                () -> "and the coroutine's own frames: " + r.stack());
        assertTrue(r.toString().contains("java.lang.Thread.sleep"), r.toString());
        assertTrue(r.toString().contains("write Asyncio.sleep(d) instead"), "names the non-blocking form: " + r);
    }

    @Test
    void aBlockingCompletableFutureGetInACoroutineIsReportedWithTheTaskAndStack() {
        java.util.concurrent.CompletableFuture<Boolean> plain = new java.util.concurrent.CompletableFuture<>();
        SlowCallback r = reportOfABlockingCall("getter", thread -> () -> plain.complete(true),
                () -> plain.get()); // a plain JDK future: nothing refuses get(), it blocks the turn
        assertTrue(r.stack().stream().anyMatch(e -> e.getClassName().equals("java.util.concurrent.CompletableFuture")
                && e.getMethodName().equals("get")), () -> "the stack shows CompletableFuture.get: " + r.stack());
        assertTrue(r.toString().contains("getter"), r.toString());
        assertTrue(r.toString().contains("write Asyncio.await(future) instead"), "names the non-blocking form: " + r);
    }

    @Test
    void aStuckCallbackIsReportedWithTheCallbacksStack() {
        ConcurrentLinkedQueue<SlowCallback> reports = new ConcurrentLinkedQueue<>();
        CountDownLatch oneReport = new CountDownLatch(1);
        boolean[] reportedWhileStuck = new boolean[1];
        try (EventLoop loop = debugLoop(reports, oneReport)) {
            loop.runUntilComplete(() -> {
                Future<Void> done = loop.createFuture();
                loop.callSoon(() -> {
                    try {
                        reportedWhileStuck[0] = holdTheTurnUntil(oneReport);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    done.setResult(null);
                });
                done.await();
            });
        }
        assertTrue(reportedWhileStuck[0]);
        SlowCallback r = reports.stream().filter(x -> x.inProgress() && x.task() == null).findFirst().orElseThrow();
        assertNull(r.task());
        assertTrue(r.handle() != null);
        assertTrue(r.stack().stream().anyMatch(e -> e.getMethodName().equals("holdTheTurnUntil")), r::toString);
        assertTrue(r.toString().startsWith("Callback "), r.toString());
    }

    @Test
    void quickStepsAreNotReported() {
        ConcurrentLinkedQueue<SlowCallback> reports = new ConcurrentLinkedQueue<>();
        // On an auto-jumping clock the sleeps take no real time; with a threshold of an hour no step of this test
        // can be "slow" however loaded the machine is, so any report means the threshold was not honoured.
        try (EventLoop loop = debugLoop(new EventLoop(new VirtualClock()), reports, new CountDownLatch(1))) {
            loop.setSlowCallbackDuration(Duration.ofHours(1));
            loop.runUntilComplete(() -> {
                for (int i = 0; i < 100; i++) {
                    sleep(0.0005);
                }
            });
        }
        assertTrue(reports.isEmpty(), reports::toString);
    }

    @Test
    void withoutDebugModeNothingIsReported() throws Exception {
        ConcurrentLinkedQueue<SlowCallback> reports = new ConcurrentLinkedQueue<>();
        try (EventLoop loop = debugLoop(reports, new CountDownLatch(1))) {
            loop.setDebug(false);
            loop.runUntilComplete(() -> {
                // The slow step under test, not a wait for another thread: Thread.sleep blocks at least 150 ms,
                // well past the 40 ms threshold, so in debug mode the step's end would be reported for sure; a
                // loaded machine only makes the step slower.
                Thread.sleep(150);
            });
        }
        assertTrue(reports.isEmpty(), reports::toString);
    }

    @Test
    void debugModeTurnedOnWhileTheLoopRunsIsWatchedFromThenOn() {
        ConcurrentLinkedQueue<SlowCallback> reports = new ConcurrentLinkedQueue<>();
        CountDownLatch inProgress = new CountDownLatch(1);
        boolean reportedWhileStuck;
        try (EventLoop loop = debugLoop(reports, inProgress)) {
            loop.setDebug(false);
            reportedWhileStuck = loop.runUntilComplete(() -> {
                loop.setDebug(true);
                return createTask(() -> holdTheTurnUntil(inProgress), "stuck-after-switch").await();
            });
            // A later run without debug mode is not watched: the watchdog forgot the loop when its run ended.
            loop.setDebug(false);
            reports.clear();
            loop.runUntilComplete(() -> {
                // Well past the 40 ms threshold, so a watched loop would be reported; see withoutDebugMode...
                Thread.sleep(150);
            });
        }
        assertTrue(reportedWhileStuck, "the watchdog reported the step of the loop switched to debug mode while running");
        assertTrue(reports.isEmpty(), reports::toString);
    }

    @Test
    void aListenerThatThrowsDoesNotBreakTheLoopOrTheWatchdog() {
        // Two reports: the watchdog still reports (at twice the threshold) after the listener threw the first time.
        CountDownLatch reported = new CountDownLatch(2);
        try (EventLoop loop = new EventLoop()) {
            loop.setDebug(true);
            loop.setSlowCallbackDuration(Duration.ofMillis(20));
            loop.setSlowCallbackListener(r -> {
                reported.countDown();
                throw new IllegalStateException("listener bug (expected in this test)");
            });
            assertEquals("fine", loop.runUntilComplete(() -> holdTheTurnUntil(reported) ? "fine" : "no second report"));
        }
        assertEquals(0, reported.getCount());
    }

    @Test
    void aForeignThreadCallIsReportedInDebugModeAndStillThrown() throws Exception {
        List<ExceptionContext> reported = new ArrayList<>();
        Throwable[] thrown = new Throwable[1];
        try (EventLoop loop = new EventLoop()) {
            loop.setDebug(true);
            loop.setExceptionHandler((l, c) -> reported.add(c));
            loop.runUntilComplete(() -> {
                Thread t = Thread.ofPlatform().name("intruder").start(() -> {
                    try {
                        loop.callSoon(() -> { });
                    } catch (IllegalStateException e) {
                        thrown[0] = e;
                    }
                });
                while (t.isAlive()) {
                    sleep(0.001);
                }
                sleep(0); // the report is delivered on the loop's turn
            });
        }
        assertTrue(thrown[0] instanceof IllegalStateException);
        assertEquals(1, reported.size(), reported::toString);
        ExceptionContext c = reported.get(0);
        assertTrue(c.message().contains("from another thread"), c.message());
        assertSame(thrown[0], c.exception());
        assertTrue(c.exception().getMessage().contains("callSoon() was called from thread 'intruder'"));
    }

    @Test
    void withoutDebugModeAForeignThreadCallIsOnlyThrown() throws Exception {
        List<ExceptionContext> reported = new ArrayList<>();
        boolean[] threw = new boolean[1];
        try (EventLoop loop = new EventLoop()) {
            loop.setExceptionHandler((l, c) -> reported.add(c));
            loop.runUntilComplete(() -> {
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        loop.callSoon(() -> { });
                    } catch (IllegalStateException e) {
                        threw[0] = true;
                    }
                });
                while (t.isAlive()) {
                    sleep(0.001);
                }
                sleep(0);
            });
        }
        assertTrue(threw[0]);
        assertFalse(reported.stream().anyMatch(c -> c.message().contains("another thread")), reported::toString);
    }
}
