package dev.asyncio.reactor;

import static dev.asyncio.reactor.ReactorCoroutines.mono;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import reactor.util.context.Context;

/** {@link ReactorCoroutines#setDefaultLoopSupplier} and {@link ReactorContext#TASK_NAME_KEY}. */
class DefaultLoopSupplierTest {

    @Test
    void aSubscriptionOutsideAnyLoopUsesTheInstalledSupplierUntilItsLoopIsClosed() throws Exception {
        EventLoop mine = new EventLoop();
        Thread host = Thread.ofPlatform().name("test-supplied-loop").start(mine::runForever);
        Supplier<EventLoop> supplier = () -> mine;
        Supplier<EventLoop> before = ReactorCoroutines.setDefaultLoopSupplier(supplier);
        try {
            assertSame(mine, mono(Asyncio::getRunningLoop).block(Duration.ofSeconds(5)));
            assertSame(supplier, ReactorCoroutines.setDefaultLoopSupplier(() -> null));
            assertSame(ReactorCoroutines.defaultLoop(), mono(Asyncio::getRunningLoop).block(Duration.ofSeconds(5)),
                    "a supplier that returns null leaves the subscription on the shared default loop");
            ReactorCoroutines.setDefaultLoopSupplier(supplier);
            mine.stop();
            host.join();
            mine.close();
            assertSame(ReactorCoroutines.defaultLoop(), mono(Asyncio::getRunningLoop).block(Duration.ofSeconds(5)),
                    "a closed loop is never chosen");
        } finally {
            ReactorCoroutines.setDefaultLoopSupplier(before);
            mine.stop();
            host.join();
            mine.close();
        }
        assertNull(before, "no supplier is installed by default");
    }

    @Test
    void theTaskNameKeyOfTheSubscriberContextNamesTheTask() {
        String name = mono(() -> Asyncio.currentTask().getName())
                .contextWrite(Context.of(ReactorContext.TASK_NAME_KEY, "GET /items/42"))
                .block(Duration.ofSeconds(5));
        assertEquals("GET /items/42", name);
    }
}
