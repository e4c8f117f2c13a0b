package dev.asyncio.rxjava3;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.Asyncio.toThread;
import static dev.asyncio.rxjava3.RxCoroutines.await;
import static dev.asyncio.rxjava3.RxCoroutines.awaitFirst;
import static dev.asyncio.rxjava3.RxCoroutines.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import dev.asyncio.Task;
import io.reactivex.rxjava3.core.Single;
import io.reactivex.rxjava3.functions.BooleanSupplier;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import io.reactivex.rxjava3.processors.PublishProcessor;
import io.reactivex.rxjava3.schedulers.Schedulers;
import io.reactivex.rxjava3.subjects.CompletableSubject;
import io.reactivex.rxjava3.subjects.MaybeSubject;
import io.reactivex.rxjava3.subjects.PublishSubject;
import io.reactivex.rxjava3.subjects.SingleSubject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * RxJava's blocking operators are refused on a loop's turn, at once, with a message naming the suspending
 * call to use; elsewhere they still block. If the guard failed, the blocking calls below would stall their
 * loop for good: the class timeout is only that hang's guard.
 */
@Timeout(60)
class BlockingGuardTest {

    @BeforeEach
    void install() {
        // Other test classes of this JVM may have called RxJavaPlugins.reset(), which removes the hook.
        assertTrue(RxCoroutines.installBlockingGuard());
    }

    @AfterEach
    void reinstall() {
        RxCoroutines.installBlockingGuard();
    }

    private static IllegalStateException refused(Executable call, String operator, String alternative) {
        IllegalStateException e = assertThrows(IllegalStateException.class, call);
        assertTrue(e.getMessage().startsWith(operator + " is blocking"), e.getMessage());
        assertTrue(e.getMessage().contains(alternative), e.getMessage());
        return e;
    }

    @Test
    void blockingOperatorsInACoroutineAreRefusedWithTheAlternative() {
        SingleSubject<String> single = SingleSubject.create();
        String message = Asyncio.run(() -> createTask(() -> {
            IllegalStateException e = refused(single::blockingGet, "Single.blockingGet()", "RxCoroutines.await(single)");
            refused(() -> single.toFuture().get(), "toFuture().get()", "RxCoroutines.await(single)");
            MaybeSubject<String> maybe = MaybeSubject.create();
            refused(maybe::blockingGet, "Maybe.blockingGet()", "RxCoroutines.await(maybe)");
            CompletableSubject completable = CompletableSubject.create();
            refused(completable::blockingAwait, "Completable.blockingAwait()", "RxCoroutines.await(completable)");
            refused(() -> completable.blockingAwait(5, TimeUnit.MINUTES), "Completable.blockingAwait()", "RxCoroutines.await(completable)");
            PublishSubject<String> observable = PublishSubject.create();
            refused(observable::blockingFirst, "Observable.blockingFirst()", "RxCoroutines.awaitFirst(source)");
            refused(observable::blockingLast, "Observable.blockingLast()", "RxCoroutines.awaitLast(source)");
            refused(() -> observable.blockingIterable().iterator().hasNext(), "Observable.blockingIterable()/blockingStream()/blockingLatest()/blockingNext()", "RxCoroutines.iterate(");
            PublishProcessor<String> flowable = PublishProcessor.create();
            refused(flowable::blockingFirst, "Flowable.blockingFirst()", "RxCoroutines.awaitFirst(source)");
            refused(flowable::blockingSingle, "Flowable.blockingSingle()", "RxCoroutines.awaitSingle(source)");
            refused(() -> flowable.blockingIterable().iterator().hasNext(), "Flowable.blockingIterable()/blockingStream()/blockingLatest()/blockingNext()", "RxCoroutines.iterate(flowable)");
            refused(() -> flowable.blockingSubscribe(x -> { }), "Flowable.blockingSubscribe()", "RxCoroutines.iterate(flowable)");
            // A source that has completed already does not block: RxJava answers at once.
            assertEquals("now", Single.just("now").blockingGet());
            // The loop was not stalled: a sibling task completes what this one awaits.
            createTask(() -> {
                sleep(0);
                single.onSuccess("done");
            });
            assertEquals("done", await(single));
            return e.getMessage();
        }, "blocker").await());
        // The task, the turn and the way out in the message are BlockingCallMessage's, tested in the core.
        assertTrue(message.endsWith("(This check can be turned off with -Ddev.asyncio.rxjava3.blockingGuard=false)"), message);
    }

    @Test
    void otherTasksKeepRunningAroundARefusedBlock() {
        List<String> log = Asyncio.run(() -> {
            List<String> seen = new ArrayList<>();
            Task<Boolean> other = createTask(() -> seen.add("other ran"));
            // Refused at once, before the loop could run anything else: the loop never stalled.
            assertThrows(IllegalStateException.class, () -> Single.never().blockingGet());
            seen.add("refused");
            other.await();
            assertEquals(0L, await(Single.timer(1, TimeUnit.MILLISECONDS)));
            return seen;
        });
        assertEquals(List.of("refused", "other ran"), log);
    }

    @Test
    void aLoopCallbackIsRefusedToo() {
        String message = Asyncio.run(() -> {
            Future<String> refused = Asyncio.getRunningLoop().createFuture();
            Asyncio.getRunningLoop().callSoon(() -> refused.setResult(
                    assertThrows(IllegalStateException.class, () -> Single.never().blockingGet()).getMessage()));
            return refused.await();
        });
        assertTrue(message.contains("in a callback"), message);
    }

    @Test
    void blockingOutsideACoroutineStillWorks() {
        assertEquals(42, single(() -> 42).blockingGet()); // runs on the default loop
        assertEquals(7L, Single.timer(1, TimeUnit.MILLISECONDS).map(x -> 7L).blockingGet());
        // Off the loop's turn, from inside a coroutine: Asyncio.toThread, the documented way out.
        assertEquals(3, Asyncio.run(() -> toThread(() -> Single.timer(1, TimeUnit.MILLISECONDS).map(x -> 3).blockingGet())));
        assertEquals("a", Asyncio.run(() -> awaitFirst(io.reactivex.rxjava3.core.Observable.just("a", "b"))));
        // RxJava's own rule, now on: its computation threads refuse blocking too.
        Throwable onComputation = Single.fromCallable(() -> {
            try {
                Single.never().blockingGet();
                return new AssertionError("not refused");
            } catch (IllegalStateException e) {
                return e;
            }
        }).subscribeOn(Schedulers.computation()).blockingGet();
        assertTrue(onComputation instanceof IllegalStateException, onComputation::toString);
    }

    @Test
    void aPreviousHookIsKeptForOtherThreads() throws Throwable {
        RxJavaPlugins.reset();
        List<Thread> asked = new ArrayList<>();
        BooleanSupplier previous = () -> {
            asked.add(Thread.currentThread());
            return false;
        };
        RxJavaPlugins.setOnBeforeBlocking(previous);
        try {
            assertTrue(RxCoroutines.installBlockingGuard());
            assertTrue(RxCoroutines.installBlockingGuard(), "idempotent");
            BooleanSupplier hook = RxJavaPlugins.getOnBeforeBlocking();
            assertFalse(hook == previous, "wrapped");
            assertTrue(RxJavaPlugins.isFailOnNonBlockingScheduler());
            assertFalse(hook.getAsBoolean());
            assertEquals(List.of(Thread.currentThread()), asked, "the previous hook answers off the loop");
            assertEquals(1L, Single.timer(1, TimeUnit.MILLISECONDS).map(x -> 1L).blockingGet());
            assertThrows(IllegalStateException.class, () -> Asyncio.run(() -> SingleSubject.create().blockingGet()));
        } finally {
            RxJavaPlugins.reset();
        }
    }

    @Test
    void theSystemPropertyOptsOut() {
        String saved = System.setProperty(BlockingGuard.OPT_OUT_PROPERTY, "false");
        try {
            RxJavaPlugins.reset();
            assertFalse(RxCoroutines.installBlockingGuard());
            assertSame(null, RxJavaPlugins.getOnBeforeBlocking());
            assertFalse(RxJavaPlugins.isFailOnNonBlockingScheduler());
        } finally {
            if (saved == null) {
                System.clearProperty(BlockingGuard.OPT_OUT_PROPERTY);
            } else {
                System.setProperty(BlockingGuard.OPT_OUT_PROPERTY, saved);
            }
        }
    }
}
