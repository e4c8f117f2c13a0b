package dev.asyncio;

import static dev.asyncio.Asyncio.createEagerTask;
import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.currentTask;
import static dev.asyncio.Asyncio.getRunningLoop;
import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.Asyncio.waitFor;
import static dev.asyncio.VirtualLoops.run;
import static java.time.Duration.ofMillis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Eager task start (asyncio's eager_task_factory / create_task(eager_start=True)); cf. CPython's test_eager_task_factory.py. */
class EagerTaskTest {

    @Test
    void firstStepRunsBeforeCreateReturns() {
        run(() -> {
            List<String> log = new ArrayList<>();
            Task<String> t = createEagerTask(() -> {
                log.add("step 1");
                sleep(Duration.ZERO);
                log.add("step 2");
                return "done";
            });
            log.add("creator");
            assertFalse(t.isDone());
            assertEquals("done", t.await());
            assertEquals(List.of("step 1", "creator", "step 2"), log);
        });
    }

    @Test
    void taskThatDoesNotSuspendIsDoneAtOnceAndNeverScheduled() {
        run(() -> {
            List<String> log = new ArrayList<>();
            getRunningLoop().callSoon(() -> log.add("callback scheduled before"));
            Task<Integer> t = createEagerTask(() -> 42);
            assertTrue(t.isDone());
            assertEquals(42, t.result());
            assertFalse(getRunningLoop().allTasks().contains(t));
            assertEquals(List.of(), log, "nothing else ran meanwhile");
            sleep(Duration.ZERO);
            assertEquals(List.of("callback scheduled before"), log);
        });
    }

    @Test
    void lazyTaskIsNotStartedUntilTheNextIteration() {
        run(() -> {
            AtomicBoolean ran = new AtomicBoolean();
            Task<Void> t = createTask(() -> ran.set(true));
            assertFalse(ran.get());
            t.await();
            assertTrue(ran.get());
        });
    }

    @Test
    void currentTaskAndContextAreTheNewTasksDuringTheStep() {
        ContextVar<String> var = new ContextVar<>("var", "outer");
        run(() -> {
            Task<?> me = currentTask();
            AtomicReference<Task<?>> seen = new AtomicReference<>();
            Task<Void> t = createEagerTask(() -> {
                seen.set(currentTask());
                assertEquals("outer", var.get(), "a copy of the creator's context");
                var.set("inner");
            });
            assertSame(t, seen.get());
            assertSame(me, currentTask());
            assertEquals("outer", var.get(), "the child's change stays in its own context");
        });
    }

    @Test
    void exceptionInFirstStepBecomesTheTasksException() {
        run(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            Task<Void> t = createEagerTask(() -> {
                throw boom;
            });
            assertTrue(t.isDone());
            assertSame(boom, t.exception());
        });
    }

    @Test
    void eagerFromCallbackAndNested() {
        run(() -> {
            List<String> log = new ArrayList<>();
            Future<Void> done = getRunningLoop().createFuture();
            getRunningLoop().callSoon(() -> {
                Task<Object> outer = getRunningLoop().createTask(() -> {
                    log.add("outer 1");
                    Task<Void> inner = createEagerTask(() -> {
                        log.add("inner 1");
                        sleep(ofMillis(1));
                        log.add("inner 2");
                    });
                    log.add("outer 2");
                    inner.await();
                    log.add("outer 3");
                    return null;
                }, null, null, true);
                log.add("callback");
                outer.addDoneCallback(f -> done.setResult(null));
            });
            done.await();
            assertEquals(List.of("outer 1", "inner 1", "outer 2", "callback", "inner 2", "outer 3"), log);
        });
    }

    @Test
    void loopWideSettingAndNotRunningLoop() {
        try (EventLoop loop = new EventLoop(new VirtualClock())) {
            loop.setEagerTaskStart(true);
            assertTrue(loop.isEagerTaskStart());
            AtomicBoolean ran = new AtomicBoolean();
            Task<Void> early = loop.createTask(() -> ran.set(true));
            assertFalse(ran.get(), "the loop is not running: scheduled as usual");
            loop.runUntilComplete(() -> {
                early.await();
                Task<Integer> eager = createTask(() -> 7);
                assertTrue(eager.isDone(), "createTask follows the loop's setting");
            });
            assertTrue(ran.get());
        }
    }

    @Test
    void waitForWithZeroTimeoutRunsTheFirstStepWhenEager() {
        // As in asyncio with eager_task_factory: wait_for(coro, 0) runs the coroutine's first step.
        VirtualLoops.run(true, () -> {
            assertEquals(5, (int) waitFor(() -> 5, Duration.ZERO));
            AtomicBoolean started = new AtomicBoolean();
            assertThrows(TimeoutError.class, () -> waitFor(() -> {
                started.set(true);
                sleep(ofMillis(10));
            }, Duration.ZERO));
            assertTrue(started.get());
            return null;
        });
    }

    @Test
    void manyEagerTasksInterleaveCorrectly() {
        run(() -> {
            int[] counter = {0};
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                tasks.add(createEagerTask(() -> {
                    counter[0]++;
                    if (n % 2 == 0) {
                        sleep(Duration.ZERO);
                    }
                    return n;
                }));
            }
            assertEquals(200, counter[0]);
            int sum = 0;
            for (Task<Integer> t : tasks) {
                sum += t.await();
            }
            assertEquals(199 * 200 / 2, sum);
        });
    }
}
