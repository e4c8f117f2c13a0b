package dev.asyncio.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LoopChoiceTest {

    @Test
    void anExplicitLoopWinsThenTheRunningLoopThenVirtualTimeThenTheDefault() {
        AtomicReference<EventLoop> virtualTime = new AtomicReference<>();
        LoopChoice choice = new LoopChoice(virtualTime::get);
        EventLoop explicit = new EventLoop();
        EventLoop virtual = new EventLoop();
        try {
            assertSame(explicit, choice.forSubscription(explicit));
            assertSame(DefaultBridgeLoop.get(), choice.forSubscription(null), "outside any loop, without virtual time");
            virtualTime.set(virtual);
            assertSame(virtual, choice.forSubscription(null), "a test scheduler is installed");
            EventLoop[] onLoop = new EventLoop[2];
            Asyncio.run(() -> {
                onLoop[0] = Asyncio.getRunningLoop();
                onLoop[1] = choice.forSubscription(null);
            });
            assertSame(onLoop[0], onLoop[1], "subscribed from a coroutine: its own loop");
            assertSame(explicit, choice.forSubscription(explicit));
        } finally {
            explicit.close();
            virtual.close();
        }
    }

    @Test
    void theDefaultLoopSupplierIsUsedWhileItGivesAnOpenLoop() {
        LoopChoice choice = new LoopChoice(() -> null);
        EventLoop pooled = new EventLoop();
        assertNull(choice.setDefaultLoopSupplier(() -> pooled));
        assertSame(pooled, choice.outsideAnyLoop());
        assertSame(pooled, choice.forSubscription(null));
        pooled.close();
        assertSame(DefaultBridgeLoop.get(), choice.outsideAnyLoop(), "a closed loop falls back to the shared one");
        assertTrue(choice.setDefaultLoopSupplier(null) != null, "the previous supplier is handed back");
        assertSame(DefaultBridgeLoop.get(), choice.outsideAnyLoop());
    }

    @Test
    void oneChoiceDoesNotSeeAnothersSupplier() {
        LoopChoice reactorLike = new LoopChoice(() -> null);
        LoopChoice rxLike = new LoopChoice(() -> null);
        EventLoop pooled = new EventLoop();
        try {
            reactorLike.setDefaultLoopSupplier(() -> pooled);
            assertSame(pooled, reactorLike.outsideAnyLoop());
            assertSame(DefaultBridgeLoop.get(), rxLike.outsideAnyLoop());
        } finally {
            pooled.close();
        }
    }
}
