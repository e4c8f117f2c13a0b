package dev.asyncio.reactor;

import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.reactor.ReactorCoroutines.await;
import static dev.asyncio.reactor.ReactorCoroutines.awaitFirst;
import static dev.asyncio.reactor.ReactorCoroutines.awaitFirstOrNull;
import static dev.asyncio.reactor.ReactorCoroutines.awaitSingle;
import static dev.asyncio.reactor.ReactorCoroutines.mono;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.ContextVar;
import dev.asyncio.Coroutine;
import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import dev.asyncio.TimeoutError;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

class MonoCoroutineTest {

    @AfterEach
    void resetHooks() {
        Hooks.resetOnErrorDropped();
    }

    @Test
    void valueEmptyAndError() {
        StepVerifier.create(mono(() -> {
            sleep(Duration.ofMillis(1));
            return 42;
        })).expectNext(42).verifyComplete();
        StepVerifier.create(mono(() -> null)).verifyComplete();
        StepVerifier.create(mono(() -> sleep(Duration.ZERO))).verifyComplete();
        IOException io = new IOException("checked");
        StepVerifier.create(mono(() -> {
            throw io;
        })).expectErrorSatisfies(e -> assertSame(io, e)).verify(Duration.ofSeconds(5));
    }

    @Test
    void coldOneTaskPerSubscription() {
        AtomicInteger runs = new AtomicInteger();
        Mono<Integer> m = mono(runs::incrementAndGet);
        assertEquals(0, runs.get(), "nothing runs before a subscription");
        StepVerifier.create(m).expectNext(1).verifyComplete();
        StepVerifier.create(m).expectNext(2).verifyComplete();
    }

    @Test
    void downstreamCancelCancelsTheTaskWithoutAnError() throws Exception {
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        CompletableFuture<Boolean> started = new CompletableFuture<>();
        Mono<Integer> m = mono(() -> {
            started.complete(true);
            try {
                sleep(Duration.ofDays(1));
                return 1;
            } catch (CancelledError e) {
                seen.complete(e);
                throw e;
            }
        });
        StepVerifier.create(m)
                .then(() -> started.join())
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertInstanceOf(CancelledError.class, seen.get(5, TimeUnit.SECONDS));
    }

    @Test
    void errorAfterCancelGoesToOnErrorDropped() throws Exception {
        CompletableFuture<Throwable> dropped = new CompletableFuture<>();
        Hooks.onErrorDropped(dropped::complete);
        IllegalStateException late = new IllegalStateException("late");
        CompletableFuture<Boolean> started = new CompletableFuture<>();
        Mono<Integer> m = mono(() -> {
            started.complete(true);
            try {
                sleep(Duration.ofDays(1));
            } catch (CancelledError e) {
                throw late; // fails after the subscriber is gone
            }
            return 1;
        });
        StepVerifier.create(m).then(() -> started.join()).thenCancel().verify(Duration.ofSeconds(5));
        assertSame(late, dropped.get(5, TimeUnit.SECONDS));
    }

    @Test
    void runsOnTheSubscribingLoopOrAnExplicitOneOrTheDefault() throws Exception {
        Asyncio.run(() -> {
            EventLoop here = Asyncio.getRunningLoop();
            assertSame(here, await(mono(Asyncio::getRunningLoop)), "subscribed inside a coroutine: same loop");
        });
        EventLoop outside = mono(Asyncio::getRunningLoop).block(Duration.ofSeconds(5));
        assertSame(ReactorCoroutines.defaultLoop(), outside);
        EventLoop explicit = new EventLoop();
        Thread host = Thread.ofPlatform().start(() -> {
            explicit.callSoon(() -> { });
            explicit.runForever();
        });
        try {
            assertSame(explicit, mono(explicit, Asyncio::getRunningLoop).block(Duration.ofSeconds(5)));
        } finally {
            explicit.stop();
            host.join(5000);
            explicit.close();
        }
    }

    @Test
    void valueWaitsForDemand() {
        StepVerifier.create(mono(() -> "v"), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .thenRequest(1)
                .expectNext("v")
                .verifyComplete();
    }

    @Test
    void boundedRaceOfCancelAgainstCompletion() {
        // Cancel and completion race from two threads: either the value arrives or nothing; never an error.
        Hooks.onErrorDropped(e -> {
            throw new AssertionError("nothing should be dropped", e);
        });
        for (int i = 0; i < 200; i++) {
            AtomicInteger signals = new AtomicInteger();
            var d = mono(() -> 7).doOnError(e -> signals.addAndGet(100)).subscribe(v -> signals.incrementAndGet());
            d.dispose();
            assertTrue(signals.get() <= 1, "at most the value, never an error: " + signals.get());
        }
        assertNull(null);
    }

    // ------------------------------------------------------------------ awaited from a coroutine: a call

    @Test
    void awaitedOnItsLoopTheCoroutineRunsInTheAwaitingTaskWithoutATaskOfItsOwn() {
        Asyncio.run(() -> {
            Task<?> me = Asyncio.currentTask();
            int tasks = Asyncio.allTasks().size();
            assertSame(me, await(mono(() -> {
                sleep(Duration.ZERO);
                assertEquals(tasks, Asyncio.allTasks().size(), "no task was created for the body");
                return Asyncio.currentTask();
            })));
            assertSame(me, await(mono(Asyncio.getRunningLoop(), Asyncio::currentTask)));
            // Behind an operator it is an ordinary subscription: a task of its own.
            assertNotSame(me, await(mono(Asyncio::currentTask).hide()));
            return null;
        });
    }

    @Test
    void awaitedInlineTheBodysContextVarChangesStayInside() {
        ContextVar<String> var = new ContextVar<>("inline-test");
        Asyncio.run(() -> {
            var.set("outer");
            String seen = await(mono(() -> {
                String before = var.get();
                var.set("inner");
                sleep(Duration.ZERO);
                return before + "/" + var.get();
            }));
            assertEquals("outer/inner", seen);
            assertEquals("outer", var.get());
            return null;
        });
    }

    @Test
    void awaitedInlineTheBodySeesTheAwaitersReactorContext() {
        StepVerifier.create(mono(() -> await(mono(() -> ReactorContext.current().<String>get("user"))))
                        .contextWrite(Context.of("user", "ada")))
                .expectNext("ada")
                .verifyComplete();
    }

    @Test
    void awaitedInlineATimeoutReachesTheBodyAndItsCleanUpRunsBeforeTheAwaitEnds() {
        List<String> order = new ArrayList<>();
        Asyncio.run(() -> {
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(Duration.ofMillis(5), (Coroutine<Integer>) () ->
                    await(mono(() -> {
                        try {
                            sleep(Duration.ofDays(1));
                            return 1;
                        } finally {
                            order.add("body cleaned up");
                        }
                    }))));
            order.add("await ended");
            return null;
        });
        assertEquals(List.of("body cleaned up", "await ended"), order);
    }

    @Test
    void awaitedInlineTheOutcomeFollowsTheAwaitMode() {
        IOException io = new IOException("checked");
        Asyncio.run(() -> {
            assertNull(await(mono(() -> null)));
            assertNull(awaitFirstOrNull(mono(() -> null)));
            assertThrows(NoSuchElementException.class, () -> awaitSingle(mono(() -> null)));
            assertEquals(7, awaitFirst(mono(() -> 7)));
            assertSame(io, assertThrows(IOException.class, () -> await(mono(() -> {
                throw io;
            }))));
            return null;
        });
    }
}
