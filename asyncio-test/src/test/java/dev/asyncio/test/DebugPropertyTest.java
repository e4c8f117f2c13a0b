package dev.asyncio.test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import org.junit.jupiter.api.Test;

/** Test loops follow {@code -Ddev.asyncio.debug} like every other loop; set here and restored. */
class DebugPropertyTest {
    private static final String PROPERTY = "dev.asyncio.debug";

    @Test
    void testLoopsFollowTheDebugProperty() {
        String saved = System.setProperty(PROPERTY, "true");
        try {
            try (TestLoop testLoop = TestLoop.create()) {
                assertTrue(testLoop.loop().getDebug());
                assertTrue(testLoop.run(() -> Asyncio.getRunningLoop().getDebug()));
            }
            System.setProperty(PROPERTY, "false");
            try (TestLoop testLoop = TestLoop.create()) {
                assertFalse(testLoop.loop().getDebug());
            }
        } finally {
            if (saved == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, saved);
            }
        }
    }
}
