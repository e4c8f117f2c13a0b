package dev.asyncio;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.currentTask;
import static dev.asyncio.Asyncio.sleep;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Ports of CPython's test_taskgroups.py, in the lambda form ({@link TaskGroup#run}) unless a test is
 * about the try-with-resources form. {@link TaskGroupEagerTest} runs them all again with eager tasks.
 */
class TaskGroupTest {
    static final class MyExc extends RuntimeException {
        MyExc() {
            super("MyExc");
        }
    }

    /** Whether tasks start eagerly; {@link TaskGroupEagerTest} says yes. */
    boolean eager() {
        return false;
    }

    <T> T run(Coroutine<T> main) {
        return VirtualLoops.run(eager(), main);
    }

    void run(VoidCoroutine main) {
        VirtualLoops.run(eager(), main.asCoroutine());
    }

    static Set<Class<?>> errorTypes(TaskGroupException e) {
        Set<Class<?>> types = new HashSet<>();
        e.exceptions().forEach(x -> types.add(x.getClass()));
        return types;
    }

    static Void divideByZero() {
        throw new ArithmeticException("/ by zero");
    }

    /** Sleeps for {@code d}; if cancelled meanwhile, runs {@code onCancel} and lets the cancellation go on. */
    static void sleepNotingCancel(Duration d, Runnable onCancel) {
        try {
            sleep(d);
        } catch (CancelledError e) {
            onCancel.run();
            throw e;
        }
    }

    @Test
    void taskgroup01() {
        run(() -> {
            List<Task<Integer>> ts = new ArrayList<>();
            TaskGroup.run(g -> {
                ts.add(g.createTask(() -> {
                    sleep(ofMillis(100));
                    return 42;
                }));
                ts.add(g.createTask(() -> {
                    sleep(ofMillis(200));
                    return 11;
                }));
            });
            assertEquals(42, ts.get(0).result());
            assertEquals(11, ts.get(1).result());
        });
    }

    @Test
    void taskgroup02CreateAfterSleep() {
        run(() -> {
            List<Task<Integer>> ts = new ArrayList<>();
            TaskGroup.run(g -> {
                ts.add(g.createTask(() -> {
                    sleep(ofMillis(100));
                    return 42;
                }));
                sleep(ofMillis(150));
                ts.add(g.createTask(() -> {
                    sleep(ofMillis(200));
                    return 11;
                }));
            });
            assertEquals(42, ts.get(0).result());
            assertEquals(11, ts.get(1).result());
        });
    }

    @Test
    void taskgroup03ExplicitChildCancelIsNotAnError() {
        run(() -> {
            List<Task<Integer>> ts = new ArrayList<>();
            TaskGroup.run(g -> {
                ts.add(g.createTask(() -> {
                    sleep(ofSeconds(1));
                    return 42;
                }));
                sleep(ofMillis(150));
                ts.get(0).cancel();
                ts.add(g.createTask(() -> {
                    sleep(ofMillis(200));
                    return 11;
                }));
            });
            assertTrue(ts.get(0).isCancelled());
            assertEquals(11, ts.get(1).result());
        });
    }

    @Test
    void taskgroup04ChildErrorCancelsSiblings() {
        run(() -> {
            AtomicInteger num = new AtomicInteger();
            AtomicBoolean t2Cancel = new AtomicBoolean();
            AtomicReference<Task<Void>> t2 = new AtomicReference<>();
            Task<Void> runner = createTask(() -> {
                TaskGroup.run(g -> {
                    g.createTask(() -> {
                        sleep(ofMillis(100));
                        divideByZero();
                    });
                    t2.set(g.createTask(() -> {
                        try {
                            sleep(ofSeconds(1));
                        } catch (CancelledError e) {
                            t2Cancel.set(true);
                            throw e;
                        }
                        num.incrementAndGet();
                    }));
                });
                num.addAndGet(10);
            });
            TaskGroupException e = assertThrows(TaskGroupException.class, runner::await);
            assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
            assertEquals(0, num.get());
            assertTrue(t2Cancel.get());
            assertTrue(t2.get().isCancelled());
        });
    }

    @Test
    void cancelChildrenOnChildError() {
        run(() -> {
            AtomicInteger num = new AtomicInteger();
            AtomicBoolean t2Cancel = new AtomicBoolean();
            AtomicBoolean runnerCancel = new AtomicBoolean();
            Task<Void> runner = createTask(() -> {
                TaskGroup.run(g -> {
                    for (int i = 0; i < 3; i++) {
                        g.createTask(() -> {
                            sleep(ofMillis(100));
                            divideByZero();
                        });
                    }
                    g.createTask(() -> {
                        try {
                            sleep(ofSeconds(5));
                        } catch (CancelledError e) {
                            t2Cancel.set(true);
                            throw e;
                        }
                        num.incrementAndGet();
                    });
                    try {
                        sleep(ofSeconds(10));
                    } catch (CancelledError e) {
                        runnerCancel.set(true);
                        throw e;
                    }
                });
                num.addAndGet(10);
            });
            TaskGroupException e = assertThrows(TaskGroupException.class, runner::await);
            assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
            assertEquals(3, e.exceptions().size(), "on a virtual clock the three crash in the same iteration");
            assertEquals(0, num.get());
            assertTrue(t2Cancel.get());
            assertTrue(runnerCancel.get());
        });
    }

    @Test
    void cancellationFromOutsidePropagatesWithMessage() {
        run(() -> {
            AtomicInteger num = new AtomicInteger();
            Task<Void> r = createTask(() -> TaskGroup.run(g -> {
                for (int i = 0; i < 5; i++) {
                    g.createTask(() -> sleepNotingCancel(ofSeconds(5), num::incrementAndGet));
                }
            }));
            sleep(ofMillis(100));
            assertFalse(r.isDone());
            r.cancel("test");
            CancelledError e = assertThrows(CancelledError.class, r::await);
            assertEquals("test", e.getMessage());
            assertEquals(5, num.get());
        });
    }

    @Test
    void taskgroup07CancelWhileBodyWaits() {
        run(() -> {
            AtomicInteger num = new AtomicInteger();
            Task<Void> r = createTask(() -> TaskGroup.run(g -> {
                for (int i = 0; i < 5; i++) {
                    g.createTask(() -> sleepNotingCancel(ofSeconds(5), num::incrementAndGet));
                }
                try {
                    sleep(ofSeconds(10));
                } catch (CancelledError e) {
                    num.addAndGet(10);
                    throw e;
                }
            }));
            sleep(ofMillis(100));
            assertFalse(r.isDone());
            r.cancel();
            assertThrows(CancelledError.class, r::await);
            assertEquals(15, num.get());
        });
    }

    @Test
    void taskgroup08ChildrenFailWhileBeingCancelled() {
        run(() -> {
            Task<Void> r = createTask(() -> TaskGroup.run(g -> {
                for (int i = 0; i < 5; i++) {
                    g.createTask(() -> {
                        try {
                            sleep(ofSeconds(10));
                        } finally {
                            divideByZero();
                        }
                    });
                }
                sleep(ofSeconds(10));
            }));
            sleep(ofMillis(100));
            assertFalse(r.isDone());
            r.cancel();
            TaskGroupException e = assertThrows(TaskGroupException.class, r::await);
            assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
        });
    }

    @Test
    void taskgroup09BodyFailsAfterSleep() {
        run(() -> {
            List<Task<Integer>> ts = new ArrayList<>();
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
                ts.add(g.createTask(() -> {
                    sleep(ofSeconds(1));
                    return 42;
                }));
                ts.add(g.createTask(() -> {
                    sleep(ofSeconds(2));
                    return 11;
                }));
                sleep(ofMillis(100));
                divideByZero();
            }));
            assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
            assertTrue(ts.get(0).isCancelled());
            assertTrue(ts.get(1).isCancelled());
        });
    }

    @Test
    void taskgroup10BodyFailsAtOnce() {
        run(() -> {
            List<Task<Integer>> ts = new ArrayList<>();
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
                ts.add(g.createTask(() -> {
                    sleep(ofSeconds(1));
                    return 42;
                }));
                ts.add(g.createTask(() -> {
                    sleep(ofSeconds(2));
                    return 11;
                }));
                divideByZero();
            }));
            assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
            assertTrue(ts.get(0).isCancelled());
            assertTrue(ts.get(1).isCancelled());
        });
    }

    @Test
    void taskgroup11And12NestedGroupsCancelledFromOutside() {
        run(() -> {
            for (boolean outerHasChild : new boolean[] {false, true}) {
                Task<Void> r = createTask(() -> TaskGroup.run(g1 -> {
                    if (outerHasChild) {
                        g1.createTask(() -> sleep(ofSeconds(10)));
                    }
                    TaskGroup.run(g2 -> {
                        for (int i = 0; i < 5; i++) {
                            g2.createTask(() -> {
                                try {
                                    sleep(ofSeconds(10));
                                } finally {
                                    divideByZero();
                                }
                            });
                        }
                        sleep(ofSeconds(10));
                    });
                }));
                sleep(ofMillis(100));
                assertFalse(r.isDone());
                r.cancel();
                TaskGroupException e = assertThrows(TaskGroupException.class, r::await);
                assertEquals(Set.of(TaskGroupException.class), errorTypes(e));
                assertEquals(Set.of(ArithmeticException.class), errorTypes((TaskGroupException) e.exceptions().get(0)));
            }
        });
    }

    static void crashAfter(Duration d) {
        sleep(d);
        throw new IllegalArgumentException(d.toString());
    }

    @Test
    void taskgroup13OuterChildCrashesFirst() {
        run(() -> {
            Task<Void> r = createTask(() -> TaskGroup.run(g1 -> {
                g1.createTask(() -> crashAfter(ofMillis(100)));
                TaskGroup.run(g2 -> g2.createTask(() -> crashAfter(ofSeconds(10))));
            }));
            TaskGroupException e = assertThrows(TaskGroupException.class, r::await);
            assertEquals(Set.of(IllegalArgumentException.class), errorTypes(e));
        });
    }

    @Test
    void taskgroup14NestedGroupsNest() {
        run(() -> {
            Task<Void> r = createTask(() -> TaskGroup.run(g1 -> {
                g1.createTask(() -> crashAfter(ofSeconds(10)));
                TaskGroup.run(g2 -> g2.createTask(() -> crashAfter(ofMillis(100))));
            }));
            TaskGroupException e = assertThrows(TaskGroupException.class, r::await);
            assertEquals(Set.of(TaskGroupException.class), errorTypes(e));
            assertEquals(Set.of(IllegalArgumentException.class), errorTypes((TaskGroupException) e.exceptions().get(0)));
        });
    }

    @Test
    void taskgroup15And16CancelDuringSlowCleanup() {
        run(() -> {
            for (boolean nested : new boolean[] {false, true}) {
                VoidCoroutine body = () -> TaskGroup.run(g1 -> {
                    g1.createTask(() -> {
                        sleep(ofMillis(300));
                        divideByZero();
                    });
                    try {
                        sleep(ofSeconds(10));
                    } catch (CancelledError e) {
                        sleep(ofMillis(500));
                        throw e;
                    }
                });
                Task<Void> r = createTask(nested ? () -> createTask(body).await() : body);
                sleep(ofMillis(100));
                assertFalse(r.isDone());
                r.cancel();
                // The child crashes while the body cleans up: its error wins over the cancellation.
                TaskGroupException e = assertThrows(TaskGroupException.class, r::await);
                assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
            }
        });
    }

    @Test
    void taskgroup17And18BodyRaisesWhenCancelled() {
        run(() -> {
            AtomicInteger num = new AtomicInteger();
            Task<Void> r = createTask(() -> TaskGroup.run(g -> {
                try {
                    sleep(ofSeconds(10));
                } catch (CancelledError e) {
                    num.addAndGet(10);
                    throw e;
                }
            }));
            sleep(ofMillis(100));
            r.cancel();
            assertThrows(CancelledError.class, r::await);
            assertEquals(10, num.get());

            // "This isn't a good idea, but we have to support this weird case."
            Task<Void> r2 = createTask(() -> TaskGroup.run(g -> {
                try {
                    sleep(ofSeconds(10));
                } catch (CancelledError e) {
                    num.addAndGet(10);
                    throw new MyExc();
                }
            }));
            sleep(ofMillis(100));
            r2.cancel();
            TaskGroupException e = assertThrows(TaskGroupException.class, r2::await);
            assertEquals(Set.of(MyExc.class), errorTypes(e));
            assertEquals(20, num.get());
        });
    }

    @Test
    void taskgroup19ErrorsOfBodyAndChildAreJoined() {
        run(() -> {
            Task<Void> r = createTask(() -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    sleep(ofMillis(100));
                    divideByZero();
                });
                try {
                    sleep(ofSeconds(10));
                } finally {
                    throw new MyExc();
                }
            }));
            TaskGroupException e = assertThrows(TaskGroupException.class, r::await);
            assertEquals(Set.of(MyExc.class, ArithmeticException.class), errorTypes(e));
        });
    }

    @Test
    void taskgroup20BaseErrorOfBodyWins() {
        List<ExceptionContext> reported = new ArrayList<>();
        try (EventLoop loop = new EventLoop(new VirtualClock())) {
            loop.setEagerTaskStart(eager());
            loop.setExceptionHandler((l, c) -> reported.add(c));
            StackOverflowError soe = new StackOverflowError("pretend");
            Task<Void> r = loop.createTask(() -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    sleep(ofMillis(100));
                    divideByZero();
                });
                try {
                    sleep(ofSeconds(10));
                } finally {
                    throw soe;
                }
            }));
            assertSame(soe, assertThrows(StackOverflowError.class, () -> loop.runUntilComplete(r)));
        }
        // The child's error is not lost: it went to the exception handler.
        assertEquals(1, reported.size(), reported.toString());
        assertInstanceOf(ArithmeticException.class, reported.get(0).exception());
    }

    @Test
    void taskgroup21aBaseErrorOfChildWins() {
        List<ExceptionContext> reported = new ArrayList<>();
        try (EventLoop loop = new EventLoop(new VirtualClock())) {
            loop.setEagerTaskStart(eager());
            loop.setExceptionHandler((l, c) -> reported.add(c));
            Task<Void> r = loop.createTask(() -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    sleep(ofMillis(100));
                    throw new OutOfMemoryError("pretend");
                });
                try {
                    sleep(ofSeconds(10));
                } finally {
                    throw new MyExc();
                }
            }));
            OutOfMemoryError oom = assertThrows(OutOfMemoryError.class, () -> loop.runUntilComplete(r));
            // The body's own error is kept with it, as Python keeps it as the __context__.
            assertInstanceOf(MyExc.class, oom.getSuppressed()[0]);
        }
        assertEquals(List.of(), reported);
    }

    @Test
    void taskgroup22CancelWhileExiting() {
        run(() -> {
            Task<Void> r = createTask(() -> TaskGroup.run(g -> {
                g.createTask(() -> sleep(ofSeconds(1)));
                g.createTask(() -> sleep(ofSeconds(2)));
            }));
            sleep(ofMillis(50));
            r.cancel();
            assertThrows(CancelledError.class, r::await);
        });
    }

    @Test
    void taskgroup23FinishedTasksLeaveTheGroup() {
        run(() -> {
            TaskGroup.run(g -> {
                for (int count = 0; count < 10; count++) {
                    sleep(ofMillis(100));
                    g.createTask(() -> sleep(ofMillis(300)));
                    if (count == 5) {
                        assertTrue(g.toString().matches("<TaskGroup tasks=[1-4] entered>"), g.toString());
                    }
                }
                sleep(ofMillis(1350));
                assertEquals("<TaskGroup entered>", g.toString());
            });
        });
    }

    @Test
    void taskgroup24And25ChildrenCreateSiblings() {
        run(() -> {
            TaskGroup.run(g -> g.createTask(() -> {
                sleep(ofMillis(100));
                g.createTask(() -> sleep(ofMillis(100)));
                g.createTask(() -> sleep(ofMillis(200)));
            }));

            AtomicInteger hydras = new AtomicInteger();
            class Hydra implements VoidCoroutine {
                final TaskGroup g;

                Hydra(TaskGroup g) {
                    this.g = g;
                }

                @Override
                public void run() {
                    hydras.incrementAndGet();
                    sleep(ofMillis(10));
                    g.createTask(new Hydra(g));
                    g.createTask(new Hydra(g));
                }
            }
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
                g.createTask(new Hydra(g));
                g.createTask(() -> {
                    while (hydras.get() < 10) {
                        sleep(ofMillis(15));
                    }
                    divideByZero();
                });
            }));
            assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
            assertTrue(hydras.get() >= 10);
        });
    }

    @Test
    void taskNames() {
        run(() -> {
            AtomicReference<String> name = new AtomicReference<>();
            TaskGroup.run(g -> {
                Task<Void> t = g.createTask(() -> name.set(currentTask().getName()), "yolo");
                assertEquals("yolo", t.getName());
            });
            assertEquals("yolo", name.get());
        });
    }

    @Test
    void noCreateTaskAfterFailure() {
        run(() -> {
            AtomicBoolean neverRan = new AtomicBoolean(true);
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
                g.createTask(() -> {
                    sleep(ofMillis(1));
                    divideByZero();
                });
                g.createTask(() -> {
                    try {
                        sleep(ofSeconds(1));
                    } catch (CancelledError ce) {
                        IllegalStateException ise = assertThrows(IllegalStateException.class,
                                () -> g.createTask(() -> neverRan.set(false)));
                        assertTrue(ise.getMessage().contains("shutting down"), ise.getMessage());
                    }
                });
            }));
            assertEquals(Set.of(ArithmeticException.class), errorTypes(e));
            sleep(Duration.ZERO);
            assertTrue(neverRan.get(), "a rejected coroutine never runs");
        });
    }

    @Test
    void createTaskAfterFinishIsRejected() {
        run(() -> {
            TaskGroup[] kept = new TaskGroup[1];
            TaskGroup.run(g -> kept[0] = g);
            AtomicBoolean ran = new AtomicBoolean();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> kept[0].createTask(() -> ran.set(true)));
            assertTrue(e.getMessage().contains("is finished"), e.getMessage());
            sleep(Duration.ZERO);
            assertFalse(ran.get());
        });
    }

    @Test
    void withoutParentTaskIsRefused() {
        try (EventLoop loop = new EventLoop(new VirtualClock())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> TaskGroup.run(g -> { }));
            assertTrue(e.getMessage().contains("coroutine"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> TaskGroup.call(g -> 1));
        }
    }

    @Test
    void contextManagerExitRaises() {
        // CPython gh-95289: a body whose cleanup raises while the group cancels it.
        run(() -> Asyncio.createTask(() -> {
            Task<?> task = currentTask();
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> TaskGroup.run(tg -> {
                try {
                    tg.createTask(() -> {
                        throw new MyExc();
                    });
                    sleep(ofSeconds(1));
                } finally {
                    throw new MyExc();
                }
            }));
            assertEquals(0, task.cancelling());
            assertEquals(2, e.exceptions().size());
        }).await());
    }

    @Test
    void cancellingLevelPreserved() {
        run(() -> {
            assertThrows(TaskGroupException.class, () -> TaskGroup.run(tg -> tg.createTask(() -> {
                sleep(Duration.ZERO);
                throw new IllegalStateException();
            })));
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void nestedGroupsBothCancelled() {
        run(() -> {
            TaskGroupException outer = assertThrows(TaskGroupException.class, () -> TaskGroup.run(outerTg -> {
                TaskGroupException inner = assertThrows(TaskGroupException.class, () -> TaskGroup.run(innerTg -> {
                    innerTg.createTask(() -> {
                        sleep(Duration.ZERO);
                        throw new IllegalStateException();
                    });
                    outerTg.createTask(() -> {
                        sleep(Duration.ZERO);
                        throw new IllegalArgumentException();
                    });
                }));
                assertEquals(Set.of(IllegalStateException.class), errorTypes(inner));
                assertEquals(1, currentTask().cancelling());
            }));
            assertEquals(Set.of(IllegalArgumentException.class), errorTypes(outer));
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void errorAndCancel() {
        run(() -> {
            Future<Void> event = Asyncio.getRunningLoop().createFuture();
            Task<Void> t = createTask(() -> {
                assertThrows(TaskGroupException.class, () -> TaskGroup.run(tg -> {
                    tg.createTask(() -> {
                        event.setResult(null);
                        sleep(Duration.ZERO);
                        throw new IllegalStateException();
                    });
                    sleep(ofSeconds(1));
                    fail("Sleep in group should have been cancelled");
                }));
                assertEquals(1, currentTask().cancelling());
                sleep(ofSeconds(1));
                fail("Sleep after group should have been cancelled");
            });
            event.await();
            assertEquals(0, t.cancelling());
            t.cancel();
            assertEquals(1, t.cancelling());
            assertThrows(CancelledError.class, t::await);
            assertTrue(t.isCancelled());
        });
    }

    @Test
    void cancelsTaskIfCreatedDuringCreation() {
        // CPython gh-128550
        run(() -> {
            AtomicBoolean ran = new AtomicBoolean();
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> TaskGroup.run(tg -> tg.createTask(() -> {
                tg.createTask(() -> {
                    throw new MyExc();
                });
                assertThrows(CancelledError.class, () -> {
                    sleep(Duration.ZERO); // eager tasks cancel here
                    sleep(Duration.ZERO); // lazy tasks cancel here
                });
                ran.set(true);
            })));
            assertTrue(ran.get());
            assertEquals(Set.of(MyExc.class), errorTypes(e));
        });
    }

    @Test
    void cancellationDoesNotLeakOutOfGroup() {
        run(() -> {
            assertThrows(TaskGroupException.class, () -> TaskGroup.run(tg -> tg.createTask(() -> {
                throw new MyExc();
            })));
            sleep(Duration.ZERO); // a leaked cancellation would surface here
        });
    }

    @Test
    void groupTimedOutFromOutside() {
        // CPython's test_exception_refcycles_propagate_cancellation_error, without the refcount part.
        run(() -> {
            TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.timeout(ofSeconds(-1),
                    () -> TaskGroup.run(tg -> sleep(Duration.ZERO))));
            assertInstanceOf(CancelledError.class, e.getCause());
        });
    }

    @Test
    void callReturnsTheBodysValue() {
        assertEquals(53, (int) run(() -> TaskGroup.call(tg -> {
            Task<Integer> a = tg.createTask(() -> 42);
            Task<Integer> b = tg.createTask(() -> {
                sleep(ofMillis(5));
                return 11;
            });
            return a.await() + b.await();
        })));
    }

    // ---- cancel() (asyncio 3.15)

    @Test
    void cancelEndsGroupQuietly() {
        run(() -> {
            AtomicInteger cancelled = new AtomicInteger();
            String r = TaskGroup.call(tg -> {
                for (int i = 0; i < 3; i++) {
                    tg.createTask(() -> {
                        try {
                            sleep(ofSeconds(10));
                        } catch (CancelledError e) {
                            cancelled.incrementAndGet();
                            throw e;
                        }
                    });
                }
                sleep(ofMillis(10));
                tg.cancel();
                sleep(ofSeconds(10));
                return "body finished";
            });
            assertNull(r, "the body was cut short");
            assertEquals(3, cancelled.get());
            assertEquals(0, currentTask().cancelling());
            sleep(Duration.ZERO);
        });
    }

    @Test
    void cancelByChildFirstWinner() {
        run(() -> {
            List<Integer> winners = new ArrayList<>();
            double t0 = VirtualLoops.now();
            TaskGroup.run(tg -> {
                for (int i = 1; i <= 3; i++) {
                    int n = i;
                    tg.createTask(() -> {
                        sleep(ofMillis(10L * n));
                        winners.add(n);
                        tg.cancel();
                    });
                }
            });
            assertEquals(List.of(1), winners);
            assertEquals(t0 + 0.01, VirtualLoops.now(), 1e-9);
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void cancelIsIdempotentAndAfterExitHarmless() {
        run(() -> {
            TaskGroup[] kept = new TaskGroup[1];
            TaskGroup.run(tg -> {
                kept[0] = tg;
                tg.createTask(() -> sleep(ofSeconds(1)));
                tg.cancel();
                tg.cancel();
            });
            kept[0].cancel();
            assertEquals(0, currentTask().cancelling());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> kept[0].createTask(() -> { }));
            assertTrue(e.getMessage().contains("finished"), e.getMessage());
        });
    }

    @Test
    void cancelBeforeChildErrorStillReportsNothingLost() {
        run(() -> {
            // A child that fails while being cancelled by cancel(): its error is still raised.
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> TaskGroup.run(tg -> {
                tg.createTask(() -> {
                    try {
                        sleep(ofSeconds(1));
                    } finally {
                        throw new MyExc();
                    }
                });
                sleep(Duration.ZERO);
                tg.cancel();
            }));
            assertEquals(Set.of(MyExc.class), errorTypes(e));
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void cancelWithOutsideCancellationPropagates() {
        run(() -> {
            Task<Void> r = createTask(() -> TaskGroup.run(tg -> {
                tg.createTask(() -> sleep(ofSeconds(10)));
                sleep(ofSeconds(10));
            }));
            sleep(ofMillis(10));
            r.cancel();
            // the group is also cancelled by hand while unwinding; the outside request must survive
            Asyncio.getRunningLoop().callSoon(() -> { });
            assertThrows(CancelledError.class, r::await);
            assertTrue(r.isCancelled());
        });
    }
}
