package dev.asyncio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.ContextVar;
import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * When a bridge may run its own publisher's coroutine in the awaiting task, and what the body sees there.
 * The bridges test the whole await ({@code MonoCoroutineTest}, {@code SingleCoroutineTest}).
 */
class InlineAwaitTest {
    private static final ThreadLocal<String> TRACE = new ThreadLocal<>();

    @Test
    void appliesOnlyInATaskOnTheLoopThePublisherWouldRunOn() throws Exception {
        assertFalse(InlineAwait.applies(null), "outside any loop");
        EventLoop other = new EventLoop();
        try {
            Asyncio.run(() -> {
                assertTrue(InlineAwait.applies(null), "a task, publisher bound to the subscriber's loop");
                assertTrue(InlineAwait.applies(Asyncio.getRunningLoop()), "a task, publisher bound to this loop");
                assertFalse(InlineAwait.applies(other), "a task, publisher bound to another loop");
                CompletableFuture<Boolean> inCallback = new CompletableFuture<>();
                Asyncio.getRunningLoop().callSoon(() -> inCallback.complete(InlineAwait.applies(null)));
                Asyncio.sleep(Duration.ZERO);
                assertFalse(inCallback.join(), "a loop callback is no task: it cannot await");
            });
        } finally {
            other.close();
        }
    }

    @Test
    void theBodyRunsInTheCallingTaskInACopyOfItsContext() {
        ContextVar<String> var = new ContextVar<>("inline-await-test");
        Asyncio.run(() -> {
            Task<?> me = Asyncio.currentTask();
            var.set("outer");
            String seen = InlineAwait.call(() -> {
                assertSame(me, Asyncio.currentTask());
                String before = var.get();
                var.set("inner");
                Asyncio.sleep(Duration.ZERO);
                return before + "/" + var.get();
            });
            assertEquals("outer/inner", seen);
            assertEquals("outer", var.get());
        });
    }

    @Test
    void theBodysExceptionIsThrownAsTheSameObject() {
        IOException io = new IOException("checked");
        Asyncio.run(() -> {
            assertSame(io, assertThrows(IOException.class, () -> InlineAwait.call(() -> {
                throw io;
            })));
        });
    }

    @Test
    void withPropagationOnTheAwaitersThreadLocalsAreSetBackAfterTheBody() {
        Supplier<ThreadLocalSnapshot> previous = ThreadLocalPropagation.install(() -> {
            String captured = TRACE.get();
            return () -> {
                String replaced = TRACE.get();
                TRACE.set(captured);
                return () -> TRACE.set(replaced);
            };
        });
        try {
            String seen = Asyncio.run(() -> {
                TRACE.set("outer");
                String inner = InlineAwait.call(() -> {
                    TRACE.set("inner");
                    Asyncio.sleep(Duration.ZERO);
                    return TRACE.get();
                });
                return inner + "/" + TRACE.get();
            });
            assertEquals("inner/outer", seen);
        } finally {
            ThreadLocalPropagation.install(previous);
            TRACE.remove();
        }
    }
}
