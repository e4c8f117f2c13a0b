package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code -Ddev.asyncio.debug=true} is honoured by every entry point that does not say otherwise; an explicit
 * {@code false} still wins. The property is set for each test and restored afterwards.
 */
class DebugPropertyTest {
    private static final String PROPERTY = "dev.asyncio.debug";
    private String saved;

    @BeforeEach
    void setProperty() {
        saved = System.setProperty(PROPERTY, "true");
    }

    @AfterEach
    void restoreProperty() {
        if (saved == null) {
            System.clearProperty(PROPERTY);
        } else {
            System.setProperty(PROPERTY, saved);
        }
    }

    @Test
    void asyncioRunFollowsTheProperty() {
        assertTrue(Asyncio.run(() -> Asyncio.getRunningLoop().getDebug()));
        boolean[] seen = new boolean[1];
        Asyncio.run(() -> {
            seen[0] = Asyncio.getRunningLoop().getDebug();
        });
        assertTrue(seen[0], "the VoidCoroutine form too");
    }

    @Test
    void anExplicitFalseTurnsItOff() {
        assertFalse(Asyncio.run(() -> Asyncio.getRunningLoop().getDebug(), false));
        try (Runner runner = new Runner(false)) {
            assertFalse(runner.run(() -> Asyncio.getRunningLoop().getDebug()));
        }
        try (EventLoop loop = new EventLoop()) {
            loop.setDebug(false);
            assertFalse(loop.getDebug());
        }
    }

    @Test
    void runnerAndNewLoopsFollowTheProperty() {
        try (Runner runner = new Runner()) {
            assertTrue(runner.run(() -> Asyncio.getRunningLoop().getDebug()));
        }
        try (Runner runner = new Runner(EventLoop::new, null)) {
            assertTrue(runner.getLoop().getDebug());
        }
        try (EventLoop loop = new EventLoop()) {
            assertTrue(loop.getDebug());
        }
        try (EventLoop loop = new EventLoop(new VirtualClock())) {
            assertTrue(loop.getDebug());
        }
    }

    @Test
    void withoutThePropertyDebugIsOff() {
        System.clearProperty(PROPERTY);
        assertFalse(Asyncio.run(() -> Asyncio.getRunningLoop().getDebug()));
        assertTrue(Asyncio.run(() -> Asyncio.getRunningLoop().getDebug(), true));
    }
}
