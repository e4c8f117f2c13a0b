package dev.asyncio.reactor;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.sleep;
import static dev.asyncio.Asyncio.toThread;
import static dev.asyncio.reactor.ReactorCoroutines.await;
import static dev.asyncio.reactor.ReactorCoroutines.flux;
import static dev.asyncio.reactor.ReactorCoroutines.mono;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.Task;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * {@link ReactorCoroutines#enableContextPropagation()} with real parts: SLF4J's MDC (slf4j-simple binding),
 * Micrometer's context-propagation registry, and Reactor contexts. Two MDC keys, registered the two usual
 * ways: {@code requestId} through the library's {@link Slf4jThreadLocalAccessor} (Reactor context key
 * {@code "cp.slf4j"}, a map of MDC entries), {@code traceId} through an accessor of its own whose Reactor
 * context key is {@code "traceId"}, as applications register it.
 */
class ContextPropagationBridgeTest {
    private static final String TRACE = "traceId";
    private static final String REQUEST = "requestId";

    @BeforeAll
    static void registerAccessors() {
        ContextRegistry registry = ContextRegistry.getInstance();
        registry.registerThreadLocalAccessor(new Slf4jThreadLocalAccessor(REQUEST));
        registry.registerThreadLocalAccessor(TRACE, () -> MDC.get(TRACE), v -> MDC.put(TRACE, v), () -> MDC.remove(TRACE));
    }

    @AfterAll
    static void removeAccessors() {
        ContextRegistry.getInstance().removeThreadLocalAccessor(Slf4jThreadLocalAccessor.KEY);
        ContextRegistry.getInstance().removeThreadLocalAccessor(TRACE);
    }

    @BeforeEach
    void enable() {
        ReactorCoroutines.enableContextPropagation();
    }

    @AfterEach
    void disable() {
        ReactorCoroutines.disableContextPropagation();
        Hooks.disableAutomaticContextPropagation();
        MDC.clear();
    }

    // ------------------------------------------------------------------ tasks and toThread

    @Test
    void mdcSetBeforeRunIsSeenInTheTaskAfterSuspensions() {
        MDC.put(TRACE, "t-1");
        MDC.put(REQUEST, "r-1");
        List<String> seen = Asyncio.run(() -> {
            sleep(Duration.ofMillis(1));
            sleep(Duration.ZERO);
            return List.of(MDC.get(TRACE), MDC.get(REQUEST));
        });
        assertEquals(List.of("t-1", "r-1"), seen);
    }

    @Test
    void aChildTaskGetsTheCreatorsMdcAndASiblingNeverSeesAnothersChange() {
        MDC.put(TRACE, "t-host");
        List<String> seen = new ArrayList<>();
        String mainAfter = Asyncio.run(() -> {
            MDC.put(REQUEST, "r-main");
            Task<Void> changer = createTask(() -> {
                MDC.put(TRACE, "t-changer");
                sleep(Duration.ofMillis(1));
                seen.add("changer " + MDC.get(TRACE) + " " + MDC.get(REQUEST));
            });
            Task<Void> sibling = createTask(() -> {
                sleep(Duration.ZERO);
                seen.add("sibling " + MDC.get(TRACE) + " " + MDC.get(REQUEST));
            });
            changer.await();
            sibling.await();
            return MDC.get(TRACE);
        });
        assertEquals(Set.of("changer t-changer r-main", "sibling t-host r-main"), Set.copyOf(seen));
        assertEquals("t-host", mainAfter);
        assertEquals("t-host", MDC.get(TRACE), "the thread that ran the loop keeps its own MDC");
        assertNull(MDC.get(REQUEST), "what the main task set stays in the task");
    }

    @Test
    void toThreadWorkSeesTheTasksMdc() {
        List<String> seen = Asyncio.run(() -> {
            MDC.put(TRACE, "t-task");
            MDC.put(REQUEST, "r-task");
            return toThread(() -> List.of(MDC.get(TRACE), MDC.get(REQUEST)));
        });
        assertEquals(List.of("t-task", "r-task"), seen);
    }

    @Test
    void nothingIsCarriedOnceDisabled() {
        ReactorCoroutines.disableContextPropagation();
        assertFalse(ReactorCoroutines.isContextPropagationEnabled());
        MDC.put(TRACE, "t-1");
        assertNull(Asyncio.run(() -> MDC.get(TRACE)));
        ReactorCoroutines.enableContextPropagation();
        ReactorCoroutines.enableContextPropagation(); // idempotent
        assertTrue(ReactorCoroutines.isContextPropagationEnabled());
        assertEquals("t-1", Asyncio.run(() -> MDC.get(TRACE)));
    }

    // ------------------------------------------------------------------ Reactor context → coroutine

    @Test
    void aMonoBodySeesTheSubscribersReactorContextInTheMdc() {
        Mono<String> readsMdc = mono(() -> {
            sleep(Duration.ofMillis(1));
            return MDC.get(TRACE) + " " + MDC.get(REQUEST);
        });
        String seen = readsMdc
                .contextWrite(Context.of(TRACE, "t-ctx", Slf4jThreadLocalAccessor.KEY, Map.of(REQUEST, "r-ctx")))
                .block(Duration.ofSeconds(10));
        assertEquals("t-ctx r-ctx", seen);
    }

    @Test
    void theReactorContextWinsOverTheSubscribingThreadsMdc() {
        MDC.put(TRACE, "t-thread");
        MDC.put(REQUEST, "r-thread");
        String seen = mono(() -> MDC.get(TRACE) + " " + MDC.get(REQUEST))
                .contextWrite(Context.of(TRACE, "t-ctx"))
                .block(Duration.ofSeconds(10));
        assertEquals("t-ctx r-thread", seen);
    }

    @Test
    void aFluxBodySeesItToo() {
        List<String> seen = ReactorCoroutines.<String>flux(sink -> {
            sink.emit(MDC.get(TRACE));
            sleep(Duration.ofMillis(1));
            sink.emit(MDC.get(TRACE));
        }).contextWrite(Context.of(TRACE, "t-flux")).collectList().block(Duration.ofSeconds(10));
        assertEquals(List.of("t-flux", "t-flux"), seen);
    }

    // ------------------------------------------------------------------ coroutine → Reactor context

    @Test
    void awaitWritesTheTasksMdcIntoTheSubscriptionsContext() {
        List<Object> seen = Asyncio.run(() -> {
            MDC.put(TRACE, "t-await");
            MDC.put(REQUEST, "r-await");
            sleep(Duration.ZERO);
            Object trace = await(Mono.deferContextual(c -> Mono.just(c.getOrDefault(TRACE, "none"))));
            Object request = await(Mono.deferContextual(c -> Mono.just(c.getOrDefault(Slf4jThreadLocalAccessor.KEY, Map.of()))));
            return List.<Object>of(trace, request);
        });
        assertEquals(List.of("t-await", Map.of(REQUEST, "r-await")), seen);
    }

    @Test
    void reactorsAutomaticPropagationRestoresItWhereTheSignalArrives() {
        Hooks.enableAutomaticContextPropagation();
        String seen = Asyncio.run(() -> {
            MDC.put(TRACE, "t-handle");
            // The value comes from a platform thread of its own (Logback's MDC is not inherited), so handle,
            // which runs there, can only get the MDC from the subscription's context.
            Mono<Integer> fromAnotherThread = Mono.create(sink -> Thread.ofPlatform().start(() -> sink.success(1)));
            return await(fromAnotherThread.<String>handle((v, sink) -> sink.next(
                    (Thread.currentThread().isVirtual() ? "virtual " : "platform ") + MDC.get(TRACE))));
        });
        assertEquals("platform t-handle", seen);
    }

    @Test
    void aTaskCreatedByALoopCallbackGetsNoTasksMdc() {
        List<String> seen = Asyncio.run(() -> {
            MDC.put(TRACE, "t-main");
            dev.asyncio.Future<String> fromCallback = Asyncio.getRunningLoop().createFuture();
            // The callback may run on the main task's thread once it suspends: the task it creates must not
            // take the main task's MDC from there.
            Asyncio.getRunningLoop().callSoon(() -> createTask(() -> String.valueOf(MDC.get(TRACE)))
                    .addDoneCallback(t -> fromCallback.setResult(t.result())));
            String inCallbackTask = fromCallback.await();
            return List.of(inCallbackTask, MDC.get(TRACE));
        });
        assertEquals(List.of("null", "t-main"), seen);
    }

    @Test
    void aMonoAwaitedInATaskRunsWithTheTasksMdc() {
        String seen = Asyncio.run(() -> {
            MDC.put(TRACE, "t-outer");
            return await(mono(() -> {
                sleep(Duration.ZERO);
                return MDC.get(TRACE);
            }));
        });
        assertEquals("t-outer", seen);
    }

    @Test
    void aMonoAwaitedInlineKeepsItsMdcChangesInside() {
        List<String> seen = Asyncio.run(() -> {
            MDC.put(TRACE, "t-outer");
            String inner = await(mono(() -> {
                MDC.put(TRACE, "t-inner");
                sleep(Duration.ZERO);
                return MDC.get(TRACE);
            }));
            return List.of(inner, MDC.get(TRACE));
        });
        assertEquals(List.of("t-inner", "t-outer"), seen);
    }

    @Test
    void aMonoAwaitedInlineSeesTheAwaitersMdcInItsReactorContext() {
        Object request = Asyncio.run(() -> {
            MDC.put(REQUEST, "r-outer");
            return await(mono(() -> ReactorContext.current().getOrDefault(Slf4jThreadLocalAccessor.KEY, Map.of())));
        });
        assertEquals(Map.of(REQUEST, "r-outer"), request);
    }
}
