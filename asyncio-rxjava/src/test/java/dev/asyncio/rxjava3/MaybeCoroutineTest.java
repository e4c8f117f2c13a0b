package dev.asyncio.rxjava3;

import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.rxjava3.RxCoroutines.await;
import static dev.asyncio.rxjava3.RxCoroutines.maybe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MaybeCoroutineTest {
    private final UndeliverableErrors undeliverable = new UndeliverableErrors();

    @AfterEach
    void resetPlugins() {
        undeliverable.close();
    }

    @Test
    void valueIsOnSuccess() throws Exception {
        TestObserver<String> to = maybe(() -> {
            sleep(Duration.ofMillis(2));
            return "v";
        }).test();
        to.await(5, TimeUnit.SECONDS);
        to.assertValue("v").assertComplete().assertNoErrors();
    }

    @Test
    void nullIsEmptyCompletion() throws Exception {
        TestObserver<String> to = maybe(() -> (String) null).test();
        to.await(5, TimeUnit.SECONDS);
        to.assertNoValues().assertComplete().assertNoErrors();
    }

    @Test
    void errorIsTheSameObject() throws Exception {
        IOException boom = new IOException("boom");
        TestObserver<String> to = RxCoroutines.<String>maybe(() -> {
            throw boom;
        }).test();
        to.await(5, TimeUnit.SECONDS);
        to.assertError(boom);
    }

    @Test
    void coldOneTaskPerSubscription() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        var m = maybe(runs::incrementAndGet);
        m.test().await(5, TimeUnit.SECONDS);
        m.test().await(5, TimeUnit.SECONDS);
        assertEquals(2, runs.get());
    }

    @Test
    void disposeCancelsSilently() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        TestObserver<String> to = maybe(() -> {
            started.countDown();
            try {
                sleep(Duration.ofHours(1));
            } catch (CancelledError e) {
                cancelled.countDown();
                throw e;
            }
            return "never";
        }).test();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        to.dispose();
        assertTrue(cancelled.await(5, TimeUnit.SECONDS));
        RxCoroutines.defaultLoop().runCoroutineThreadsafe(() -> null).get(5, TimeUnit.SECONDS);
        to.assertEmpty();
        assertTrue(undeliverable.list().isEmpty(), undeliverable.list().toString());
    }

    @Test
    void disposeRacingEmptyCompletion() throws Exception {
        Random random = new Random(7L);
        for (int i = 0; i < 200; i++) {
            long wait = random.nextInt(1_000_000);
            TestObserver<Object> to = maybe(() -> null).test();
            Races.spinFor(wait);
            to.dispose();
            RxCoroutines.defaultLoop().runCoroutineThreadsafe(() -> null).get(5, TimeUnit.SECONDS);
            to.assertNoValues().assertNoErrors();
        }
        assertTrue(undeliverable.list().isEmpty(), undeliverable.list().toString());
    }

    @Test
    void awaitedOnItsLoopTheCoroutineRunsInTheAwaitingTask() {
        Asyncio.run(() -> {
            Task<?> me = Asyncio.currentTask();
            assertSame(me, await(maybe(() -> {
                sleep(Duration.ZERO);
                return Asyncio.currentTask();
            })));
            assertNull(await(maybe(() -> null)));
        });
    }
}
