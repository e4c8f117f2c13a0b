package dev.asyncio.test;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.sleep;
import static java.time.Duration.ofMinutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import reactor.core.publisher.Mono;

/**
 * How {@link AsyncioTest} reports to JUnit, checked by running fixture test classes (the static nested
 * classes below, which surefire does not run by themselves) through JUnit's {@link EngineTestKit}.
 */
class AsyncioTestReportingTest {

    private static EngineExecutionResults run(Class<?> fixture, Map<String, String> configuration) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameters(configuration)
                .configurationParameter(EngineTestKitFixture.PARAMETER, "true")
                .selectors(selectClass(fixture))
                .execute();
    }

    private static Throwable onlyFailure(EngineExecutionResults results) {
        List<Event> failed = results.testEvents().failed().list();
        assertEquals(1, failed.size(), () -> "expected one failed test, got " + failed);
        return failed.get(0).getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
    }

    @EngineTestKitFixture
    static class LeakedTask {
        @Test
        @AsyncioTest
        void leaves() {
            createTask(() -> sleep(Duration.ofDays(365)), "left-behind");
            sleep(Duration.ZERO);
        }
    }

    @Test
    void aLeakedTaskFailsTheTestAndSaysWhatItAwaits() {
        Throwable t = onlyFailure(run(LeakedTask.class, Map.of()));
        assertInstanceOf(AssertionError.class, t);
        assertTrue(t.getMessage().contains("The test left tasks running"), t.getMessage());
        assertTrue(t.getMessage().contains("Task 'left-behind'") && t.getMessage().contains("awaits: sleep until loop time"), t.getMessage());
        assertTrue(t.getMessage().contains("failOnLeakedTasks = false"), "says how to opt out: " + t.getMessage());
    }

    @EngineTestKitFixture
    static class AllowedLeak {
        @Test
        @AsyncioTest(failOnLeakedTasks = false)
        void leaves() {
            createTask(() -> sleep(Duration.ofDays(365)));
            sleep(Duration.ZERO);
        }
    }

    @Test
    void leakedTasksMayBeAllowed() {
        run(AllowedLeak.class, Map.of()).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
    }

    @EngineTestKitFixture
    static class LostException {
        @Test
        @AsyncioTest
        void losesOne() {
            createTask(() -> {
                throw new IllegalStateException("nobody looks at me");
            }, "careless");
            sleep(ofMinutes(1));
        }
    }

    @Test
    void anExceptionNeverRetrievedFailsTheTest() {
        Throwable t = onlyFailure(run(LostException.class, Map.of()));
        assertTrue(t.getMessage().contains("Task exception was never retrieved"), t.getMessage());
        assertTrue(t.getMessage().contains("name='careless'"), t.getMessage());
        assertInstanceOf(IllegalStateException.class, t.getCause());
        assertEquals("nobody looks at me", t.getCause().getMessage());
    }

    @EngineTestKitFixture
    static class Stuck {
        @Test
        @AsyncioTest(timeout = 300, timeoutUnit = TimeUnit.MILLISECONDS)
        void waitsForever(TestLoop testLoop) {
            Future<Void> never = testLoop.loop().createFuture();
            never.await();
        }
    }

    @Test
    void aStuckTestFailsAfterItsTimeoutWithATaskDump() {
        Throwable t = onlyFailure(run(Stuck.class, Map.of()));
        assertTrue(t.getMessage().contains("timed out after PT0.3S of real time"), t.getMessage());
        assertTrue(t.getMessage().contains("Task 'waitsForever'"), t.getMessage());
        assertTrue(t.getMessage().contains("AsyncioTestReportingTest$Stuck.waitsForever"), "the test's frame:\n" + t.getMessage());
    }

    @EngineTestKitFixture
    static class AlwaysFailsShuffled {
        @Test
        @AsyncioTest(shuffleReadyOrder = true, shuffleSeed = 1234)
        void fails() {
            sleep(Duration.ZERO);
            throw new AssertionError("some order-dependent check");
        }
    }

    @Test
    void aFailingShuffledTestReportsItsSeed() {
        EngineExecutionResults results = run(AlwaysFailsShuffled.class, Map.of());
        Throwable t = onlyFailure(results);
        assertEquals("some order-dependent check", t.getMessage());
        assertTrue(Arrays.stream(t.getSuppressed()).anyMatch(s -> s.getMessage().contains("shuffleSeed = 1234L")),
                Arrays.toString(t.getSuppressed()));
        List<ReportEntry> entries = results.allEvents().reportingEntryPublished()
                .stream().map(e -> e.getRequiredPayload(ReportEntry.class)).toList();
        assertTrue(entries.stream().anyMatch(e -> "1234".equals(e.getKeyValuePairs().get("asyncio.shuffleSeed"))), entries.toString());
    }

    /** Two tests that must overlap in time (a barrier) and each keep their own virtual clock, Reactor's included. */
    @EngineTestKitFixture
    static class InParallel {
        static final CyclicBarrier BOTH_RUNNING = new CyclicBarrier(2);
        static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

        private static void body(String name, int minutes, TestLoop testLoop) throws Exception {
            BOTH_RUNNING.await(10, TimeUnit.SECONDS); // blocks this test's loop only: proves the two run at once
            EventLoop loop = testLoop.loop();
            Future<Duration> fired = loop.createFuture();
            Mono.delay(ofMinutes(minutes)).subscribe(v -> fired.setResult(testLoop.currentTime()));
            sleep(ofMinutes(minutes * 10L));
            SEEN.put(name + ".delayFiredAt", fired.result());
            SEEN.put(name + ".loop", loop);
            SEEN.put(name + ".end", testLoop.currentTime());
        }

        @Test
        @AsyncioTest
        void first(TestLoop testLoop) throws Exception {
            body("first", 2, testLoop);
        }

        @Test
        @AsyncioTest
        void second(TestLoop testLoop) throws Exception {
            body("second", 3, testLoop);
        }
    }

    @Test
    void testsRunInParallelEachOnItsOwnLoopAndClock() {
        InParallel.BOTH_RUNNING.reset();
        InParallel.SEEN.clear();
        run(InParallel.class, Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "2"))
                .testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        assertEquals(ofMinutes(2), InParallel.SEEN.get("first.delayFiredAt"));
        assertEquals(ofMinutes(3), InParallel.SEEN.get("second.delayFiredAt"));
        assertEquals(ofMinutes(20), InParallel.SEEN.get("first.end"));
        assertEquals(ofMinutes(30), InParallel.SEEN.get("second.end"));
        assertNotSame(InParallel.SEEN.get("first.loop"), InParallel.SEEN.get("second.loop"));
    }
}
