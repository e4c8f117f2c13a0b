package dev.asyncio.reactor;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.Asyncio.toThread;
import static dev.asyncio.reactor.ReactorCoroutines.await;
import static dev.asyncio.reactor.ReactorCoroutines.mono;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reactor's blocking operators are refused on a loop's turn, at once, with a message naming the suspending
 * call to use; elsewhere they still block. If the guard failed, the blocking calls below would stall their
 * loop: the class timeout is only that hang's guard.
 */
@Timeout(60)
class BlockingGuardTest {

    /** A Mono that only another task of the same loop completes: blocking on it on the loop can never end. */
    private static Mono<String> completedLaterByTheLoop(List<Future<String>> holder) {
        Future<String> f = Asyncio.getRunningLoop().createFuture();
        holder.add(f);
        return ReactorCoroutines.toMono(f);
    }

    private static IllegalStateException refused(Executable call, String operator, String alternative) {
        IllegalStateException e = assertThrows(IllegalStateException.class, call);
        String m = e.getMessage();
        assertTrue(m.startsWith(operator + " is blocking") && m.contains("Suspend instead with " + alternative), m);
        return e;
    }

    @Test
    void blockingOperatorsInACoroutineAreRefusedWithTheAlternative() {
        assertTrue(ReactorCoroutines.installBlockingGuard());
        List<Future<String>> pending = new ArrayList<>();
        String message = Asyncio.run(() -> createTask(() -> {
            Mono<String> mono = completedLaterByTheLoop(pending);
            IllegalStateException e = refused(mono::block, "Mono.block()", "ReactorCoroutines.await(mono)");
            refused(() -> mono.block(Duration.ofMinutes(5)), "Mono.block()", "ReactorCoroutines.await(mono)");
            refused(mono::blockOptional, "Mono.blockOptional()", "Optional.ofNullable(ReactorCoroutines.await(mono))");
            Flux<String> flux = mono.flux();
            refused(flux::blockFirst, "Flux.blockFirst()", "ReactorCoroutines.awaitFirst(flux)");
            refused(() -> flux.blockLast(Duration.ofMinutes(5)), "Flux.blockLast()", "ReactorCoroutines.awaitLast(flux)");
            refused(() -> flux.toIterable().iterator().hasNext(), "Flux.toIterable()/toStream()", "ReactorCoroutines.iterate(flux)");
            refused(() -> flux.toStream().findFirst(), "Flux.toIterable()/toStream()", "ReactorCoroutines.iterate(flux)");
            // Even a Mono that is already complete: Reactor refuses blocking on a non-blocking thread outright
            // (only constant sources such as Mono.just(x), whose block() never waits, answer directly).
            refused(() -> Mono.just("x").hide().block(), "Mono.block()", "ReactorCoroutines.await(mono)");
            assertEquals("x", Mono.just("x").block());
            // The loop was not stalled: the awaited Mono still completes through the loop.
            pending.get(0).setResult("done");
            assertEquals("done", await(mono));
            return e.getMessage();
        }, "blocker").await());
        // The rest of the message (task, turn, way out) is BlockingCallMessage's, tested in the core.
        assertTrue(message.contains("in coroutine 'blocker'") && message.contains("-Ddev.asyncio.reactor.blockingGuard=false"), message);
    }

    @Test
    void otherTasksKeepRunningAroundARefusedBlock() {
        List<String> log = new ArrayList<>();
        Asyncio.run(() -> {
            Task<Void> other = createTask(() -> {
                for (int i = 0; i < 3; i++) {
                    log.add("other " + i);
                    sleep(0);
                }
            });
            sleep(0);
            assertThrows(IllegalStateException.class, () -> Mono.delay(Duration.ofMillis(1)).block());
            log.add("refused");
            other.await();
            assertEquals(0L, await(Mono.delay(Duration.ofMillis(1))));
        });
        assertEquals(List.of("other 0", "refused", "other 1", "other 2"), log);
    }

    @Test
    void aLoopCallbackIsRefusedToo() {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            loop.callSoon(() -> thrown.set(assertThrows(IllegalStateException.class, () -> Mono.never().block())));
            sleep(0); // the callback runs in this iteration
        });
        assertTrue(thrown.get().getMessage().contains("in a callback"), String.valueOf(thrown.get()));
    }

    @Test
    void blockingOutsideACoroutineStillWorks() throws Exception {
        ReactorCoroutines.installBlockingGuard();
        assertEquals("x", Mono.just("x").block());
        assertEquals(42, mono(() -> 42).block(Duration.ofSeconds(30))); // runs on the default loop
        assertEquals(List.of(1, 2, 3), Flux.range(1, 3).collectList().block());
        // Off the loop's turn, from inside a coroutine: Asyncio.toThread, the documented way out.
        assertEquals("y", Asyncio.run(() -> toThread(() -> Mono.just("y").delayElement(Duration.ofMillis(1)).block())));
        // Reactor's own rule is untouched: its parallel threads still refuse, the test thread does not.
        assertFalse(Schedulers.isInNonBlockingThread());
        Throwable onParallel = Mono.fromCallable(() -> {
            try {
                Mono.just(1).hide().block();
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        }).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(30));
        assertTrue(onParallel instanceof IllegalStateException);
    }

    @Test
    void askingWhetherTheThreadIsNonBlockingJustAnswers() {
        ReactorCoroutines.installBlockingGuard();
        assertTrue(Asyncio.run(() -> Schedulers.isInNonBlockingThread()));
        // Another thread's status is not known from here: only the calling thread's turn is.
        Thread test = Thread.currentThread();
        assertFalse(Asyncio.run(() -> Schedulers.isNonBlockingThread(test)));
    }

    @Test
    void installingIsIdempotentAndSurvivesAReset() {
        assertTrue(ReactorCoroutines.installBlockingGuard());
        assertTrue(ReactorCoroutines.installBlockingGuard());
        try {
            Schedulers.resetNonBlockingThreadPredicate();
            assertEquals("z", Asyncio.run(() -> Mono.just("z").hide().block()), "no guard after Reactor's reset");
        } finally {
            assertTrue(ReactorCoroutines.installBlockingGuard());
        }
        assertThrows(IllegalStateException.class, () -> Asyncio.run(() -> Mono.just("z").hide().block()));
    }

    @Test
    void theSystemPropertyOptsOut() {
        Schedulers.resetNonBlockingThreadPredicate(); // installBlockingGuard() in finally puts it back
        String saved = System.setProperty(BlockingGuard.OPT_OUT_PROPERTY, "false");
        try {
            assertFalse(ReactorCoroutines.installBlockingGuard());
            assertEquals("z", Asyncio.run(() -> Mono.just("z").hide().block()));
        } finally {
            restoreProperty(BlockingGuard.OPT_OUT_PROPERTY, saved);
            assertTrue(ReactorCoroutines.installBlockingGuard());
        }
    }

    private static void restoreProperty(String key, String saved) {
        if (saved != null) {
            System.setProperty(key, saved);
        } else {
            System.clearProperty(key);
        }
    }

}
