package dev.asyncio.rxjava3;

import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.rxjava3.RxCoroutines.asCompletable;
import static dev.asyncio.rxjava3.RxCoroutines.asFuture;
import static dev.asyncio.rxjava3.RxCoroutines.asMaybe;
import static dev.asyncio.rxjava3.RxCoroutines.asSingle;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
import io.reactivex.rxjava3.core.Completable;
import io.reactivex.rxjava3.core.Maybe;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.observers.TestObserver;
import io.reactivex.rxjava3.subjects.SingleSubject;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FutureSourcesTest {

    @Test
    void taskAsSingleMaybeCompletable() {
        Asyncio.run(() -> {
            Task<String> task = Asyncio.createTask(() -> {
                sleep(Duration.ofMillis(1));
                return "done";
            });
            TestObserver<String> single = asSingle(task).test();
            TestObserver<String> maybe = asMaybe(task).test();
            TestObserver<Void> completable = asCompletable(task).test();
            single.assertEmpty();
            task.await();
            sleep(Duration.ZERO);
            single.assertValue("done").assertComplete();
            maybe.assertValue("done").assertComplete();
            completable.assertComplete();
            // already done: delivered at subscription
            asSingle(task).test().assertValue("done");
        });
    }

    @Test
    void nullResultFailureAndCancellation() {
        IOException boom = new IOException("boom");
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<String> none = loop.createFuture();
            none.setResult(null);
            asSingle(none).test().assertError(NullPointerException.class);
            asMaybe(none).test().assertNoValues().assertComplete();

            Future<String> failed = loop.createFuture();
            failed.setException(boom);
            asSingle(failed).test().assertError(boom);
            asCompletable(failed).test().assertError(boom);

            Future<String> cancelled = loop.createFuture();
            TestObserver<String> waiting = asSingle(cancelled).test();
            cancelled.cancel();
            sleep(Duration.ZERO);
            waiting.assertError(CancelledError.class);
        });
    }

    @Test
    void disposeStopsListeningWithoutCancellingTheFuture() {
        Asyncio.run(() -> {
            Future<Integer> f = Asyncio.getRunningLoop().createFuture();
            TestObserver<Integer> to = asSingle(f).test();
            to.dispose();
            f.setResult(1);
            sleep(Duration.ZERO);
            to.assertEmpty();
            assertFalse(f.isCancelled());
        });
    }

    @Test
    void subscribedFromAnotherThread() throws Exception {
        EventLoop loop = new EventLoop();
        Thread host = Thread.ofPlatform().start(loop::runForever);
        try {
            Task<Integer> t = loop.runCoroutineThreadsafe(() -> Asyncio.createTask(() -> {
                sleep(Duration.ofMillis(20));
                return 41;
            })).get(5, TimeUnit.SECONDS);
            TestObserver<Integer> to = asSingle(t).test();
            to.await(5, TimeUnit.SECONDS);
            to.assertValue(41);
        } finally {
            loop.stop();
            host.join();
            loop.close();
        }
    }

    @Test
    void sourcesAsFutures() {
        Asyncio.run(() -> {
            assertEquals(3, asFuture(Single.just(3)).await());
            assertNull(asFuture(Maybe.<Integer>empty()).await());
            assertNull(asFuture(Completable.complete()).await());
            SingleSubject<String> subject = SingleSubject.create();
            Future<String> f = asFuture(subject);
            assertTrue(subject.hasObservers());
            f.cancel();
            sleep(Duration.ZERO);
            assertFalse(subject.hasObservers(), "cancelling the future disposes the subscription");
            IOException boom = new IOException("x");
            Future<Object> failed = asFuture(Single.error(boom));
            sleep(Duration.ZERO);
            assertSame(boom, failed.exception());
        });
    }
}
