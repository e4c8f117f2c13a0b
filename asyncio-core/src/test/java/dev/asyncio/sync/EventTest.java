package dev.asyncio.sync;

import dev.asyncio.internal.LoopInternals;
import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.getRunningLoop;
import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ports asyncio's test_locks.EventTests, plus binding and thread rules. */
class EventTest {

    @Test
    void repr() {
        IsolatedLoop.run(() -> {
            Event ev = new Event();
            assertEquals("<Event [unset]>", ev.toString());
            Task<Void> waiter = createTask(() -> {
                ev.await();
            });
            sleep(0);
            assertEquals("<Event [unset, waiters:1]>", ev.toString());
            ev.set();
            assertEquals("<Event [set, waiters:1]>", ev.toString());
            waiter.await();
            assertEquals("<Event [set]>", ev.toString());
        });
    }

    @Test
    void await() {
        IsolatedLoop.run(() -> {
            Event ev = new Event();
            assertFalse(ev.isSet());
            List<Integer> result = new ArrayList<>();
            Task<Void> t1 = createTask(() -> {
                ev.await();
                result.add(1);
            });
            Task<Void> t2 = createTask(() -> {
                ev.await();
                result.add(2);
            });
            sleep(0);
            assertEquals(List.of(), result);

            Task<Void> t3 = createTask(() -> {
                ev.await();
                result.add(3);
            });
            ev.set();
            sleep(0);
            // t3 had not started: it finds the flag set and goes first; t1 and t2 were woken after it was scheduled
            assertEquals(List.of(3, 1, 2), result);
            assertTrue(t1.isDone() && t2.isDone() && t3.isDone());
            t1.result();
            t2.result();
            t3.result();
        });
    }

    @Test
    void awaitOnSetReturnsWithoutYielding() {
        IsolatedLoop.run(() -> {
            Event ev = new Event();
            ev.set();
            boolean[] otherRan = {false};
            Task<Void> other = createTask(() -> {
                otherRan[0] = true;
            });
            ev.await();
            assertFalse(otherRan[0]);
            other.await();
        });
    }

    @Test
    void awaitCancel() {
        IsolatedLoop.run(() -> {
            Event ev = new Event();
            Task<Void> wait = createTask(() -> {
                ev.await();
            });
            getRunningLoop().callSoon(wait::cancel);
            assertThrows(CancelledError.class, wait::await);
            assertEquals(0, ev.waiterCount());
        });
    }

    @Test
    void clear() {
        Event ev = new Event();
        assertFalse(ev.isSet());
        ev.set();
        assertTrue(ev.isSet());
        ev.clear();
        assertFalse(ev.isSet());
    }

    /** A waiter woken by set() returns even if the flag is cleared before it runs. */
    @Test
    void clearWithWaiters() {
        IsolatedLoop.run(() -> {
            Event ev = new Event();
            List<Integer> result = new ArrayList<>();
            Task<Boolean> t = createTask(() -> {
                ev.await();
                result.add(1);
                return true;
            });
            sleep(0);
            assertEquals(List.of(), result);

            ev.set();
            ev.clear();
            assertFalse(ev.isSet());
            ev.set();
            ev.set();
            assertEquals(1, ev.waiterCount());

            sleep(0);
            assertEquals(List.of(1), result);
            assertEquals(0, ev.waiterCount());
            assertTrue(t.isDone() && t.result());
        });
    }

    @Test
    void setFromAnotherThreadGoesThroughCallSoonThreadsafe() {
        IsolatedLoop.run(() -> {
            Event ev = new Event();
            Task<Void> waiter = createTask(() -> {
                ev.await();
            });
            sleep(0);
            EventLoop loop = getRunningLoop();
            Throwable[] direct = new Throwable[1];
            LoopInternals.beginExternalWork(loop);
            Thread.ofPlatform().start(() -> {
                try {
                    ev.set();
                } catch (Throwable e) {
                    direct[0] = e;
                }
                loop.callSoonThreadsafe(ev::set);
                LoopInternals.endExternalWork(loop);
            });
            waiter.await();
            assertTrue(ev.isSet());
            assertTrue(direct[0] instanceof IllegalStateException, String.valueOf(direct[0]));
            assertTrue(direct[0].getMessage().contains("callSoonThreadsafe"), direct[0].getMessage());
        });
    }

    @Test
    void awaitOutsideACoroutineIsRefused() {
        Event ev = new Event();
        IllegalStateException e = assertThrows(IllegalStateException.class, ev::await);
        assertTrue(e.getMessage().contains("Event.await() must be called from a coroutine"), e.getMessage());
        ev.set();
        ev.await(); // set: returns at once, anywhere
    }
}
