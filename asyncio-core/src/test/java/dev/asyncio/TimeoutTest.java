package dev.asyncio;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.currentTask;
import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.Asyncio.timeout;
import static dev.asyncio.Asyncio.timeoutAt;
import static dev.asyncio.VirtualLoops.now;
import static dev.asyncio.VirtualLoops.run;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Ports of CPython's Lib/test/test_asyncio/test_timeouts.py, on a virtual clock, in both Java forms. */
class TimeoutTest {

    @Test
    void timeoutBasic() {
        run(() -> {
            Timeout cm = timeout(ofMillis(10));
            double t0 = now();
            TimeoutError e = assertThrows(TimeoutError.class, () -> cm.run(() -> sleep(ofSeconds(10))));
            assertTrue(cm.expired());
            assertEquals(t0 + 0.01, now(), 1e-9);
            assertInstanceOf(CancelledError.class, e.getCause());
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void timeoutLambdaReturnsValue() {
        assertEquals("ok", run(() -> Asyncio.timeout(ofSeconds(1), () -> {
            sleep(ofMillis(10));
            return "ok";
        })));
    }

    @Test
    void timeoutAtBasic() {
        run(() -> {
            double deadline = now() + 0.01;
            Timeout cm = timeoutAt(deadline);
            assertThrows(TimeoutError.class, () -> cm.run(() -> sleep(ofSeconds(10))));
            assertTrue(cm.expired());
            assertEquals(deadline, cm.when());
        });
    }

    @Test
    void nestedTimeoutsOnlyTopmostRaises() {
        run(() -> {
            double deadline = now() + 0.01;
            AtomicBoolean cancelled = new AtomicBoolean();
            Timeout cm1 = timeoutAt(deadline);
            Timeout[] cm2 = new Timeout[1];
            assertThrows(TimeoutError.class, () -> cm1.run(() -> {
                try {
                    cm2[0] = timeoutAt(deadline);
                    cm2[0].run(() -> sleep(ofSeconds(10)));
                } catch (CancelledError e) {
                    cancelled.set(true);
                    throw e;
                }
            }));
            assertTrue(cancelled.get());
            assertTrue(cm1.expired());
            assertTrue(cm2[0].expired());
        });
    }

    @Test
    void waiterCancelled() {
        run(() -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(ofMillis(10), () -> {
                try {
                    sleep(ofSeconds(10));
                } catch (CancelledError e) {
                    cancelled.set(true);
                    throw e;
                }
            }));
            assertTrue(cancelled.get());
        });
    }

    @Test
    void timeoutNotCalled() {
        run(() -> {
            Timeout cm = timeout(ofSeconds(10));
            cm.run(() -> sleep(ofMillis(10)));
            assertFalse(cm.expired());
            assertTrue(cm.when() > now());
        });
    }

    @Test
    void timeoutDisabled() {
        run(() -> {
            Timeout cm = timeout(null);
            cm.run(() -> sleep(ofMillis(10)));
            assertFalse(cm.expired());
            assertNull(cm.when());
            Timeout cm2 = timeoutAt(null);
            cm2.run(() -> sleep(ofMillis(10)));
            assertFalse(cm2.expired());
            assertNull(cm2.when());
        });
    }

    @Test
    void timeoutZeroAndInThePast() {
        run(() -> {
            for (Duration d : new Duration[] {Duration.ZERO, ofSeconds(-11)}) {
                for (Duration nap : new Duration[] {ofSeconds(10), Duration.ZERO}) {
                    double t0 = now();
                    Timeout cm = timeout(d);
                    assertThrows(TimeoutError.class, () -> cm.run(() -> sleep(nap)));
                    assertTrue(cm.expired());
                    assertTrue(cm.when() <= now());
                    assertEquals(t0, now(), 1e-9, "expires in the next iteration, without waiting");
                }
            }
        });
    }

    @Test
    void foreignExceptionPassed() {
        run(() -> {
            Timeout cm = timeout(ofMillis(10));
            IllegalArgumentException e = new IllegalArgumentException("key");
            assertSame(e, assertThrows(IllegalArgumentException.class, () -> cm.run(() -> {
                throw e;
            })));
            assertFalse(cm.expired());
            assertEquals(0, e.getSuppressed().length);
        });
    }

    @Test
    void foreignExceptionOnTimeoutPropagatesWithTimeoutNoted() {
        run(() -> {
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> Asyncio.timeout(ofMillis(10), () -> {
                try {
                    sleep(ofSeconds(1));
                } finally {
                    throw new ArithmeticException("/ by zero");
                }
            }));
            assertInstanceOf(TimeoutError.class, e.getSuppressed()[0]);
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void checkedExceptionPassesUnchanged() {
        run(() -> {
            java.io.IOException io = new java.io.IOException("disk");
            Exception e = assertThrows(Exception.class, () -> Asyncio.timeout(ofSeconds(1), () -> {
                throw io;
            }));
            assertSame(io, e);
        });
    }

    @Test
    void foreignCancelDoesntTimeoutIfNotExpired() {
        run(() -> {
            Timeout cm = timeout(ofSeconds(10));
            assertThrows(CancelledError.class, () -> cm.run(() -> {
                currentTask().cancel();
                sleep(ofSeconds(10));
            }));
            assertFalse(cm.expired());
            currentTask().uncancel();
        });
    }

    @Test
    void outerTaskIsNotCancelled() {
        run(() -> {
            Task<Void> task = createTask(() -> {
                assertThrows(TimeoutError.class, () -> Asyncio.timeout(ofMillis(1), () -> sleep(ofSeconds(10))));
            });
            task.await();
            assertFalse(task.isCancelled());
            assertTrue(task.isDone());
        });
    }

    @Test
    void nestedTimeoutsConcurrent() {
        // Both deadlines pass while the loop is busy: the outer one fires first and owns the cancellation.
        run(() -> {
            VirtualClock clock = (VirtualClock) Asyncio.getRunningLoop().getClock();
            // (CPython's test wraps the inner scope in assertRaises(TimeoutError), which lets the
            // CancelledError through unnoticed; the inner scope did not expire, so it must not convert.)
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(ofMillis(2), () -> {
                Timeout inner = timeout(ofMillis(100));
                try {
                    inner.run(() -> {
                        clock.advanceBy(ofMillis(10)); // "crunch some numbers" without yielding
                        sleep(ofSeconds(1));
                    });
                    fail("not cancelled");
                } catch (CancelledError e) {
                    assertFalse(inner.expired());
                    throw e;
                }
            }));
        });
    }

    @Test
    void nestedTimeoutsLoopBusy() {
        run(() -> {
            VirtualClock clock = (VirtualClock) Asyncio.getRunningLoop().getClock();
            double t0 = now();
            // Both deadlines pass while the loop is busy, so the task has two cancel requests: the inner
            // scope withdraws its own, sees one left (the outer's) and lets the CancelledError through;
            // the outer one turns it into TimeoutError. (CPython's test has the same outcome: its inner
            // assertRaises(TimeoutError) lets the CancelledError pass.)
            Timeout[] inner = new Timeout[1];
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(ofMillis(100), () -> {
                inner[0] = timeout(ofMillis(10));
                try {
                    inner[0].run(() -> {
                        clock.advanceBy(ofMillis(100)); // the loop is busy for a while
                        sleep(ofSeconds(1));
                    });
                    fail("not cancelled");
                } catch (CancelledError e) {
                    throw e;
                }
            }));
            assertTrue(inner[0].expired());
            assertEquals(0, currentTask().cancelling());
            double t1 = now();
            assertTrue(t0 <= t1 && t1 <= t0 + 1);
        });
    }

    @Test
    void reschedule() {
        run(() -> {
            Future<Timeout> fut = Asyncio.getRunningLoop().createFuture();
            double deadline1 = now() + 10;
            double deadline2 = deadline1 + 20;
            Task<Void> task = createTask(() -> {
                Timeout cm = timeoutAt(deadline1);
                cm.run(() -> {
                    fut.setResult(cm);
                    sleep(ofSeconds(50));
                });
            });
            Timeout cm = fut.await();
            assertEquals(deadline1, cm.when());
            cm.reschedule(deadline2);
            assertEquals(deadline2, cm.when());
            cm.reschedule(null);
            assertNull(cm.when());
            task.cancel();
            assertThrows(CancelledError.class, task::await);
            assertFalse(cm.expired());
        });
    }

    @Test
    void rescheduleMovesTheDeadline() {
        run(() -> {
            double t0 = now();
            Timeout cm = timeout(ofSeconds(1));
            assertThrows(TimeoutError.class, () -> cm.run(() -> {
                cm.reschedule(now() + 5);
                sleep(ofSeconds(100));
            }));
            assertEquals(t0 + 5, now(), 1e-6);
        });
    }

    @Test
    void reprs() {
        run(() -> {
            Timeout active = timeout(ofSeconds(10));
            assertTrue(active.toString().matches("<Timeout \\[active\\] when=\\d+\\.\\d*>"), active.toString());
            active.close();
            assertEquals("<Timeout [finished]>", active.toString());
            Timeout expired = timeout(ofMillis(10));
            assertThrows(TimeoutError.class, () -> expired.run(() -> sleep(ofSeconds(10))));
            assertEquals("<Timeout [expired]>", expired.toString());
            try (Timeout disabled = timeout(null)) {
                assertEquals("<Timeout [active] when=None>", disabled.toString());
            }
        });
    }

    @Test
    void nestedTimeoutInFinally() {
        run(() -> {
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(ofMillis(10), () -> {
                try {
                    sleep(ofSeconds(1));
                } finally {
                    assertThrows(TimeoutError.class, () -> Asyncio.timeout(ofMillis(10), () -> sleep(ofSeconds(10))));
                }
            }));
        });
    }

    @Test
    void timeoutAfterCancellation() {
        run(() -> {
            try {
                currentTask().cancel();
                sleep(ofSeconds(1)); // work which will be cancelled
            } catch (CancelledError e) {
                // swallowed on purpose
            } finally {
                assertThrows(TimeoutError.class, () -> Asyncio.timeout(Duration.ZERO, () -> sleep(ofSeconds(1))));
            }
            assertEquals(1, currentTask().uncancel() + 1);
        });
    }

    @Test
    void cancelInTimeoutAfterCancellation() {
        run(() -> {
            try {
                currentTask().cancel();
                sleep(ofSeconds(1));
            } catch (CancelledError e) {
                // swallowed on purpose
            } finally {
                assertThrows(CancelledError.class, () -> Asyncio.timeout(ofSeconds(1), () -> {
                    currentTask().cancel();
                    sleep(ofSeconds(2));
                }));
            }
            currentTask().uncancel();
            currentTask().uncancel();
        });
    }

    @Test
    void swallowedCancellationReturnsNormally() {
        run(() -> {
            Timeout cm = timeout(ofMillis(10));
            String r = cm.run(() -> {
                try {
                    sleep(ofSeconds(1));
                } catch (CancelledError e) {
                    return "swallowed";
                }
                return "slept";
            });
            assertEquals("swallowed", r);
            assertTrue(cm.expired());
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void finishedScopeRefusesReuse() {
        run(() -> {
            Timeout cm = timeout(ofMillis(10));
            cm.run(() -> { });
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> cm.reschedule(now() + 1));
            assertTrue(e.getMessage().contains("finished"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> cm.run(() -> { }));
            cm.close(); // idempotent
        });
    }

    @Test
    void withoutTaskIsRefused() {
        try (EventLoop loop = new EventLoop(new VirtualClock())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> timeout(ofSeconds(1)));
            assertTrue(e.getMessage().contains("coroutine"), e.getMessage());
            loop.runUntilComplete(() -> {
                Future<Void> done = Asyncio.getRunningLoop().createFuture();
                Asyncio.getRunningLoop().callSoon(() -> {
                    assertThrows(IllegalStateException.class, () -> timeout(ofSeconds(1)));
                    done.setResult(null);
                });
                done.await();
            });
        }
    }

    @Test
    void closeByAnotherTaskIsRefused() {
        run(() -> {
            try (Timeout cm = timeout(ofSeconds(1))) {
                Task<Void> other = createTask(() -> {
                    assertThrows(IllegalStateException.class, cm::close);
                });
                other.await();
            }
        });
    }

    // ---- the try-with-resources form

    @Test
    void tryWithResourcesExpiryIsConvertedByRethrowCancelled() {
        run(() -> {
            Timeout[] scope = new Timeout[1];
            TimeoutError e = assertThrows(TimeoutError.class, () -> {
                try (Timeout t = timeout(ofMillis(10))) {
                    scope[0] = t;
                    sleep(ofSeconds(10));
                    fail("not cancelled");
                } catch (CancelledError ce) {
                    Asyncio.rethrowCancelled(ce);
                }
            });
            assertInstanceOf(CancelledError.class, e.getCause());
            assertTrue(scope[0].expired());
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void tryWithResourcesWithoutCatchEndsTheTaskWithTimeoutError() {
        run(() -> {
            Task<Void> t = createTask(() -> {
                try (Timeout cm = timeout(ofMillis(10))) {
                    sleep(ofSeconds(10));
                }
            });
            TimeoutError e = assertThrows(TimeoutError.class, t::await);
            assertFalse(t.isCancelled());
            assertInstanceOf(CancelledError.class, e.getCause());
        });
    }

    @Test
    void tryWithResourcesInsideLambdaScopeIsConverted() {
        run(() -> {
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(ofSeconds(100), () -> {
                try (Timeout inner = timeout(ofMillis(10))) {
                    sleep(ofSeconds(10));
                }
            }));
        });
    }

    @Test
    void tryWithResourcesRealCancellationStaysCancellation() {
        run(() -> {
            assertThrows(CancelledError.class, () -> {
                try (Timeout t = timeout(ofSeconds(10))) {
                    currentTask().cancel();
                    sleep(ofSeconds(10));
                } catch (CancelledError ce) {
                    Asyncio.rethrowCancelled(ce);
                }
            });
            currentTask().uncancel();
        });
    }

    @Test
    void tryWithResourcesNormalExit() {
        run(() -> {
            Timeout kept;
            try (Timeout t = timeout(ofSeconds(10))) {
                kept = t;
                sleep(ofMillis(10));
            }
            assertFalse(kept.expired());
            assertEquals("<Timeout [finished]>", kept.toString());
        });
    }

    @Test
    void waiterAwaitingAnotherTasksCancelledErrorIsNotConverted() {
        // A CancelledError raised in this task by awaiting someone else's cancelled task is not ours.
        run(() -> {
            Task<Void> victim = createTask(() -> sleep(ofSeconds(10)));
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Asyncio.timeout(ofSeconds(5), () -> {
                sleep(ofMillis(1));
                victim.cancel();
                try {
                    victim.await();
                } catch (CancelledError e) {
                    seen.set(e);
                }
            });
            assertInstanceOf(CancelledError.class, seen.get());
        });
    }
}
