package dev.asyncio.sync;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.CancelledError;
import dev.asyncio.Task;
import org.junit.jupiter.api.Test;

/** asyncio's BoundedSemaphore cases (test_release_not_acquired and the shared Semaphore behaviour). */
class BoundedSemaphoreTest {

    @Test
    void releaseNotAcquired() {
        BoundedSemaphore sem = new BoundedSemaphore();
        IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
        assertTrue(e.getMessage().startsWith("BoundedSemaphore released too many times"), e.getMessage());
        assertEquals(1, sem.value());
    }

    @Test
    void overReleaseAfterBalancedUseIsRejected() {
        IsolatedLoop.run(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(2);
            sem.acquire();
            sem.acquire();
            assertTrue(sem.isLocked());
            sem.release();
            sem.release();
            assertThrows(IllegalStateException.class, sem::release);
            assertEquals(2, sem.value());
            assertFalse(sem.isLocked());
        });
    }

    @Test
    void releaseHandsThePermitToAWaiter() {
        IsolatedLoop.run(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(1);
            sem.acquire();
            Task<Void> waiter = createTask(() -> {
                try (Permit held = sem.acquire()) {
                    assertTrue(sem.isLocked());
                }
            });
            sleep(0);
            sem.release();           // handed to the waiter: value stays 0 until it runs
            assertEquals(0, sem.value());
            waiter.await();
            assertEquals(1, sem.value());
            assertThrows(IllegalStateException.class, sem::release);
        });
    }

    @Test
    void cancelledWaiterGivesTheHandedPermitBack() {
        IsolatedLoop.run(() -> {
            BoundedSemaphore sem = new BoundedSemaphore(1);
            sem.acquire();
            Task<Void> waiter = createTask(() -> {
                sem.acquire();
            });
            sleep(0);
            sem.release();
            waiter.cancel();         // woken, then cancelled before it runs
            assertThrows(CancelledError.class, waiter::await);
            assertEquals(1, sem.value());
            assertFalse(sem.isLocked());
            assertThrows(IllegalStateException.class, sem::release);
        });
    }

    @Test
    void contextManagerAndRepr() {
        IsolatedLoop.run(() -> {
            BoundedSemaphore sem = new BoundedSemaphore();
            assertEquals("<BoundedSemaphore [unlocked, value:1]>", sem.toString());
            try (Permit held = sem.acquire()) {
                assertTrue(sem.isLocked());
                assertEquals("<BoundedSemaphore [locked]>", sem.toString());
            }
            assertFalse(sem.isLocked());
        });
    }

    @Test
    void negativeValueIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-1));
    }
}
