package dev.asyncio.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.CarrierMode;
import dev.asyncio.Clock;
import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The turn's thread management seen from tasks: a finished task's thread runs the next never-started task
 * in loop-carrier mode, and whichever thread a task gets, it starts as fresh as a new one.
 */
class TurnTest {

    static Stream<CarrierMode> modes() {
        return CarrierMode.loopCarrierAvailable() ? Stream.of(CarrierMode.PORTABLE, CarrierMode.LOOP_CARRIER)
                : Stream.of(CarrierMode.PORTABLE);
    }

    private static <T> T run(CarrierMode mode, boolean debug, dev.asyncio.Coroutine<T> main) {
        try (EventLoop loop = new EventLoop(Clock.system(), mode)) {
            loop.setDebug(debug);
            return loop.runUntilComplete(main);
        }
    }

    /** Tasks that never suspend, started together, run one after the other on one thread: none is created. */
    @ParameterizedTest
    @MethodSource("modes")
    void aBurstOfShortTasksRunsOnOneThreadInLoopCarrierMode(CarrierMode mode) {
        assumeTrue(mode == CarrierMode.LOOP_CARRIER, "portable task threads carry the loop's thread-local");
        List<Thread> threads = run(mode, false, () -> {
            List<Task<Thread>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tasks.add(Asyncio.createTask(Thread::currentThread));
            }
            return Asyncio.gather(tasks).await();
        });
        for (Thread t : threads) {
            assertSame(threads.get(0), t, "each short task ran on the thread the first one finished on: " + threads);
        }
    }

    /** A thread-local a task leaves set is not seen by the task that runs next: that one gets a new thread. */
    @ParameterizedTest
    @MethodSource("modes")
    void aThreadLocalLeftBehindIsNotSeenByTheNextTask(CarrierMode mode) {
        ThreadLocal<String> left = new ThreadLocal<>();
        List<Object> seen = run(mode, false, () -> {
            Task<Thread> first = Asyncio.createTask(() -> {
                left.set("from the first task");
                return Thread.currentThread();
            });
            Task<Object[]> second = Asyncio.createTask(() -> new Object[] {left.get(), Thread.currentThread()});
            Asyncio.gather(List.of(first, second)).await();
            return List.of(first.result(), second.result()[1], second.result()[0] == null ? "none" : second.result()[0]);
        });
        assertEquals("none", seen.get(2));
        assertNotSame(seen.get(0), seen.get(1), "a thread with a thread-local map is not given another task");
    }

    /** An interrupt or an uncaught-exception handler a task leaves on its thread does not reach the next task. */
    @ParameterizedTest
    @MethodSource("modes")
    void anInterruptOrAHandlerLeftBehindIsNotSeenByTheNextTask(CarrierMode mode) {
        Thread.UncaughtExceptionHandler handler = (t, e) -> { };
        Object[] seen = run(mode, false, () -> {
            Task<Void> interrupting = Asyncio.createTask(() -> Thread.currentThread().interrupt());
            Task<Boolean> afterInterrupt = Asyncio.createTask(() -> Thread.currentThread().isInterrupted());
            Task<Void> handling = Asyncio.createTask(() -> Thread.currentThread().setUncaughtExceptionHandler(handler));
            Task<Object> afterHandler = Asyncio.createTask(() -> Thread.currentThread().getUncaughtExceptionHandler());
            Asyncio.gather(List.of(interrupting, afterInterrupt, handling, afterHandler)).await();
            return new Object[] {afterInterrupt.result(), afterHandler.result()};
        });
        assertFalse((Boolean) seen[0], "the interrupt of the task before");
        assertNotSame(handler, seen[1], "the handler of the task before");
    }

    /** In debug mode a task's thread is named after it, also when it is a finished task's thread. */
    @ParameterizedTest
    @MethodSource("modes")
    void inDebugModeEachTasksThreadHasItsName(CarrierMode mode) {
        List<String> names = run(mode, true, () -> {
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(Asyncio.createTask(() -> Thread.currentThread().getName(), "short-" + i));
            }
            return Asyncio.gather(tasks).await();
        });
        assertEquals(List.of("short-0", "short-1", "short-2"), names);
    }

    /** Short tasks between suspending ones: each gets the right result and the suspended ones resume. */
    @ParameterizedTest
    @MethodSource("modes")
    void shortAndSuspendingTasksInterleave(CarrierMode mode) {
        List<Integer> results = run(mode, false, () -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                tasks.add(Asyncio.createTask(() -> {
                    if (n % 3 == 0) {
                        Asyncio.sleep(Duration.ZERO);
                    }
                    if (n % 7 == 0) {
                        Asyncio.sleep(Duration.ofMillis(1));
                    }
                    return n;
                }));
            }
            return Asyncio.gather(tasks).await();
        });
        for (int i = 0; i < 50; i++) {
            assertEquals(i, results.get(i));
        }
    }

    /** After the loop closed, no task thread lingers: the last thread of a chain ends with its last task. */
    @ParameterizedTest
    @MethodSource("modes")
    void noTaskThreadOutlivesItsTasks(CarrierMode mode) throws InterruptedException {
        List<Thread> threads = run(mode, false, () -> {
            List<Task<Thread>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                tasks.add(Asyncio.createTask(Thread::currentThread));
            }
            return Asyncio.gather(tasks).await();
        });
        for (Thread t : threads) {
            t.join(); // a thread still alive here would hang the test: the build's stuck-test timeout reports it
            assertFalse(t.isAlive());
        }
    }
}
