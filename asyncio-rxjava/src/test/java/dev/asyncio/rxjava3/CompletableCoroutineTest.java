package dev.asyncio.rxjava3;

import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.rxjava3.RxCoroutines.await;
import static dev.asyncio.rxjava3.RxCoroutines.completable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Task;
import io.reactivex.rxjava3.observers.TestObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CompletableCoroutineTest {
    private final UndeliverableErrors undeliverable = new UndeliverableErrors();

    @AfterEach
    void resetPlugins() {
        undeliverable.close();
    }

    @Test
    void returningCompletes() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        TestObserver<Void> to = completable(() -> {
            sleep(Duration.ofMillis(1));
            runs.incrementAndGet();
        }).test();
        to.await(5, TimeUnit.SECONDS);
        to.assertComplete().assertNoErrors();
        assertEquals(1, runs.get());
    }

    @Test
    void throwingFailsWithTheSameObject() throws Exception {
        Exception boom = new Exception("checked");
        TestObserver<Void> to = completable(() -> {
            throw boom;
        }).test();
        to.await(5, TimeUnit.SECONDS);
        to.assertError(boom);
    }

    @Test
    void disposeCancelsSilently() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        TestObserver<Void> to = completable(() -> {
            started.countDown();
            try {
                sleep(Duration.ofHours(1));
            } catch (CancelledError e) {
                cancelled.countDown();
                throw e;
            }
        }).test();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        to.dispose();
        assertTrue(cancelled.await(5, TimeUnit.SECONDS));
        RxCoroutines.defaultLoop().runCoroutineThreadsafe(() -> null).get(5, TimeUnit.SECONDS);
        to.assertEmpty();
        assertTrue(undeliverable.list().isEmpty());
    }

    @Test
    void cancelledFromTheLoopSideFails() {
        Asyncio.run(() -> {
            TestObserver<Void> to = new TestObserver<>();
            completable(() -> sleep(Duration.ofHours(1))).subscribe(to);
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            for (Task<?> t : Asyncio.allTasks()) {
                if (t != Asyncio.currentTask()) {
                    t.cancel();
                }
            }
            sleep(Duration.ZERO);
            sleep(Duration.ZERO);
            to.assertError(CancelledError.class);
        });
    }

    @Test
    void disposeRacingCompletion() throws Exception {
        Random random = new Random(99L);
        AtomicInteger completed = new AtomicInteger();
        for (int i = 0; i < 200; i++) {
            long wait = random.nextInt(1_000_000);
            TestObserver<Void> to = completable(() -> sleep(Duration.ZERO)).test();
            Races.spinFor(wait);
            to.dispose();
            RxCoroutines.defaultLoop().runCoroutineThreadsafe(() -> null).get(5, TimeUnit.SECONDS);
            to.assertNoErrors();
            if (!to.values().isEmpty()) {
                throw new AssertionError("a Completable has no values");
            }
        }
        assertTrue(undeliverable.list().isEmpty(), undeliverable.list().toString());
        assertTrue(completed.get() >= 0);
    }

    @Test
    void awaitedOnItsLoopTheCoroutineRunsInTheAwaitingTask() {
        IOException io = new IOException("checked");
        AtomicReference<Task<?>> ranIn = new AtomicReference<>();
        Asyncio.run(() -> {
            await(completable(() -> {
                sleep(Duration.ZERO);
                ranIn.set(Asyncio.currentTask());
            }));
            assertSame(Asyncio.currentTask(), ranIn.get());
            assertSame(io, assertThrows(IOException.class, () -> await(completable(() -> {
                throw io;
            }))));
        });
    }
}
