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

/**
 * Ports of CPython's Lib/test/test_asyncio/test_timeouts.py, on a virtual clock, in the lambda forms
 * ({@code async with asyncio.timeout(d) as cm:} is {@code timeout(d, cm -> …)}). CPython's tests of entering a scope twice or not at
 * all have no counterpart: a lambda-form scope is entered exactly once, by the call that runs the body.
 */
class TimeoutTest {

    @Test
    void timeoutBasic() {
        run(() -> {
            Timeout[] cm = new Timeout[1];
            double t0 = now();
            TimeoutError e = assertThrows(TimeoutError.class, () -> timeout(ofMillis(10), scope -> {
                cm[0] = scope;
                sleep(ofSeconds(10));
                return null;
            }));
            assertTrue(cm[0].expired());
            assertEquals(t0 + 0.01, now(), 1e-9);
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void timeoutExceptionCause() {
        run(() -> {
            TimeoutError e = assertThrows(TimeoutError.class, () -> timeout(Duration.ZERO, () -> sleep(ofSeconds(1))));
            assertInstanceOf(CancelledError.class, e.getCause());
        });
    }

    @Test
    void timeoutErrorSaysHowLongTheBodyHad() {
        run(() -> {
            TimeoutError shortOne = assertThrows(TimeoutError.class, () -> timeout(ofMillis(200), () -> sleep(ofSeconds(1))));
            assertTrue(shortOne.getMessage().startsWith("Timed out after 200 ms (deadline "), shortOne.getMessage());
            TimeoutError longOne = assertThrows(TimeoutError.class, () -> timeout(ofSeconds(90), () -> sleep(ofSeconds(100))));
            assertTrue(longOne.getMessage().startsWith("Timed out after 90.0 s"), longOne.getMessage());
            double deadline = now() + 0.5;
            TimeoutError at = assertThrows(TimeoutError.class, () -> timeoutAt(deadline, scope -> {
                scope.reschedule(deadline + 0.25); // the message counts to the deadline that fired
                sleep(ofSeconds(10));
                return null;
            }));
            assertTrue(at.getMessage().startsWith("Timed out after 750 ms"), at.getMessage());
        });
    }

    @Test
    void timeoutLambdaReturnsValue() {
        assertEquals("ok", run(() -> timeout(ofSeconds(1), () -> {
            sleep(ofMillis(10));
            return "ok";
        })));
    }

    @Test
    void timeoutAtBasic() {
        run(() -> {
            double deadline = now() + 0.01;
            Timeout[] cm = new Timeout[1];
            assertThrows(TimeoutError.class, () -> timeoutAt(deadline, scope -> {
                cm[0] = scope;
                sleep(ofSeconds(10));
                return null;
            }));
            assertTrue(cm[0].expired());
            assertEquals(deadline, cm[0].when());
        });
    }

    @Test
    void timeoutAtWithoutScopeParameter() {
        run(() -> {
            double deadline = now() + 0.01;
            assertThrows(TimeoutError.class, () -> timeoutAt(deadline, () -> sleep(ofSeconds(10))));
            assertEquals(deadline, now(), 1e-9);
            assertEquals("late", timeoutAt(now() + 1, () -> {
                sleep(ofMillis(10));
                return "late";
            }));
        });
    }

    @Test
    void nestedTimeoutsOnlyTopmostRaises() {
        run(() -> {
            double deadline = now() + 0.01;
            AtomicBoolean cancelled = new AtomicBoolean();
            Timeout[] cm = new Timeout[2];
            assertThrows(TimeoutError.class, () -> timeoutAt(deadline, cm1 -> {
                cm[0] = cm1;
                try {
                    return timeoutAt(deadline, cm2 -> {
                        cm[1] = cm2;
                        sleep(ofSeconds(10));
                        return null;
                    });
                } catch (CancelledError e) {
                    cancelled.set(true);
                    throw e;
                }
            }));
            assertTrue(cancelled.get());
            assertTrue(cm[0].expired());
            assertTrue(cm[1].expired());
        });
    }

    @Test
    void waiterCancelled() {
        run(() -> {
            AtomicBoolean cancelled = new AtomicBoolean();
            assertThrows(TimeoutError.class, () -> timeout(ofMillis(10), () -> {
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
            Timeout cm = timeout(ofSeconds(10), scope -> {
                sleep(ofMillis(10));
                return scope;
            });
            assertFalse(cm.expired());
            assertTrue(cm.when() > now());
        });
    }

    @Test
    void timeoutDisabled() {
        run(() -> {
            Timeout cm = timeout(null, scope -> {
                sleep(ofMillis(10));
                return scope;
            });
            assertFalse(cm.expired());
            assertNull(cm.when());
            Timeout cm2 = timeoutAt(null, scope -> {
                sleep(ofMillis(10));
                return scope;
            });
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
                    Timeout[] cm = new Timeout[1];
                    assertThrows(TimeoutError.class, () -> timeout(d, scope -> {
                        cm[0] = scope;
                        sleep(nap);
                        return null;
                    }));
                    assertTrue(cm[0].expired());
                    assertTrue(cm[0].when() <= now());
                    assertEquals(t0, now(), 1e-9, "expires in the next iteration, without waiting");
                }
            }
        });
    }

    @Test
    void foreignExceptionPassed() {
        run(() -> {
            Timeout[] cm = new Timeout[1];
            IllegalArgumentException e = new IllegalArgumentException("key");
            assertSame(e, assertThrows(IllegalArgumentException.class, () -> timeout(ofMillis(10), scope -> {
                cm[0] = scope;
                throw e;
            })));
            assertFalse(cm[0].expired());
            assertEquals(0, e.getSuppressed().length);
        });
    }

    @Test
    void foreignExceptionOnTimeoutPropagatesWithTimeoutNoted() {
        run(() -> {
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> timeout(ofMillis(10), () -> {
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
            Exception e = assertThrows(Exception.class, () -> timeout(ofSeconds(1), () -> {
                throw io;
            }));
            assertSame(io, e);
        });
    }

    @Test
    void foreignCancelDoesntTimeoutIfNotExpired() {
        run(() -> {
            Timeout[] cm = new Timeout[1];
            assertThrows(CancelledError.class, () -> timeout(ofSeconds(10), scope -> {
                cm[0] = scope;
                currentTask().cancel();
                sleep(ofSeconds(10));
                return null;
            }));
            assertFalse(cm[0].expired());
            currentTask().uncancel();
        });
    }

    @Test
    void outerTaskIsNotCancelled() {
        run(() -> {
            Task<Void> task = createTask(() -> {
                assertThrows(TimeoutError.class, () -> timeout(ofMillis(1), () -> sleep(ofSeconds(10))));
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
            assertThrows(TimeoutError.class, () -> timeout(ofMillis(2), () -> {
                Timeout[] inner = new Timeout[1];
                try {
                    timeout(ofMillis(100), scope -> {
                        inner[0] = scope;
                        clock.advanceBy(ofMillis(10)); // "crunch some numbers" without yielding
                        sleep(ofSeconds(1));
                        return null;
                    });
                    fail("not cancelled");
                } catch (CancelledError e) {
                    assertFalse(inner[0].expired());
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
            assertThrows(TimeoutError.class, () -> timeout(ofMillis(100), () -> {
                timeout(ofMillis(10), scope -> {
                    inner[0] = scope;
                    clock.advanceBy(ofMillis(100)); // the loop is busy for a while
                    sleep(ofSeconds(1));
                    return null;
                });
                fail("not cancelled");
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
                timeoutAt(deadline1, cm -> {
                    fut.setResult(cm);
                    sleep(ofSeconds(50));
                    return null;
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
            assertThrows(TimeoutError.class, () -> timeout(ofSeconds(1), cm -> {
                cm.reschedule(now() + 5);
                sleep(ofSeconds(100));
                return null;
            }));
            assertEquals(t0 + 5, now(), 1e-6);
        });
    }

    @Test
    void rescheduleToNoneLetsTheBodyFinish() {
        run(() -> {
            double t0 = now();
            String r = timeout(ofSeconds(1), cm -> {
                cm.reschedule(null);
                sleep(ofSeconds(100));
                return "done";
            });
            assertEquals("done", r);
            assertEquals(t0 + 100, now(), 1e-6);
        });
    }

    @Test
    void reprs() {
        run(() -> {
            Timeout finished = timeout(ofSeconds(10), active -> {
                assertTrue(active.toString().matches("<Timeout \\[active\\] when=\\d+\\.\\d*>"), active.toString());
                sleep(Duration.ZERO);
                return active;
            });
            assertEquals("<Timeout [finished]>", finished.toString());
            Timeout[] expired = new Timeout[1];
            assertThrows(TimeoutError.class, () -> timeout(ofMillis(10), cm -> {
                expired[0] = cm;
                sleep(ofSeconds(10));
                return null;
            }));
            assertEquals("<Timeout [expired]>", expired[0].toString());
            timeout(null, disabled -> {
                assertEquals("<Timeout [active] when=None>", disabled.toString());
                return null;
            });
        });
    }

    @Test
    void nestedTimeoutInFinally() {
        run(() -> {
            assertThrows(TimeoutError.class, () -> timeout(ofMillis(10), () -> {
                try {
                    sleep(ofSeconds(1));
                } finally {
                    assertThrows(TimeoutError.class, () -> timeout(ofMillis(10), () -> sleep(ofSeconds(10))));
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
                assertThrows(TimeoutError.class, () -> timeout(Duration.ZERO, () -> sleep(ofSeconds(1))));
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
                assertThrows(CancelledError.class, () -> timeout(ofSeconds(1), () -> {
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
            Timeout[] cm = new Timeout[1];
            String r = timeout(ofMillis(10), scope -> {
                cm[0] = scope;
                try {
                    sleep(ofSeconds(1));
                } catch (CancelledError e) {
                    return "swallowed";
                }
                return "slept";
            });
            assertEquals("swallowed", r);
            assertTrue(cm[0].expired());
            assertEquals(0, currentTask().cancelling());
        });
    }

    @Test
    void finishedScopeRefusesReschedule() {
        run(() -> {
            Timeout cm = timeout(ofMillis(10), scope -> scope);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> cm.reschedule(now() + 1));
            assertTrue(e.getMessage().contains("finished"), e.getMessage());
        });
    }

    @Test
    void withoutTaskIsRefused() {
        try (EventLoop loop = new EventLoop(new VirtualClock())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> timeout(ofSeconds(1), () -> 1));
            assertTrue(e.getMessage().contains("coroutine"), e.getMessage());
            loop.runUntilComplete(() -> {
                Future<Void> done = Asyncio.getRunningLoop().createFuture();
                Asyncio.getRunningLoop().callSoon(() -> {
                    assertThrows(IllegalStateException.class, () -> timeoutAt(1.0, cm -> 1));
                    done.setResult(null);
                });
                done.await();
            });
        }
    }

    @Test
    void waiterAwaitingAnotherTasksCancelledErrorIsNotConverted() {
        // A CancelledError raised in this task by awaiting someone else's cancelled task is not ours.
        run(() -> {
            Task<Void> victim = createTask(() -> sleep(ofSeconds(10)));
            AtomicReference<Throwable> seen = new AtomicReference<>();
            timeout(ofSeconds(5), () -> {
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
