package dev.asyncio.test;

import static dev.asyncio.Asyncio.createTask;
import static dev.asyncio.Asyncio.sleep;
import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.Task;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

/** {@link AsyncioTest} on a class: every test method of it and of its nested classes runs on a test loop. */
@AsyncioTest
class AsyncioTestExtensionTest {
    private TestLoop fromBeforeEach;

    @BeforeEach
    void before(TestLoop testLoop) {
        fromBeforeEach = testLoop;
        assertFalse(testLoop.loop().isRunning(), "lifecycle methods run outside the loop");
    }

    @AfterEach
    void after(TestLoop testLoop) {
        assertSame(fromBeforeEach, testLoop);
    }

    @Test
    void theMethodRunsAsACoroutineOnItsOwnLoop(TestLoop testLoop) {
        Task<?> me = Asyncio.currentTask();
        assertNotNull(me);
        assertEquals("theMethodRunsAsACoroutineOnItsOwnLoop", me.getName());
        assertSame(testLoop.loop(), Asyncio.getRunningLoop());
        assertSame(fromBeforeEach, testLoop, "@BeforeEach got the same loop");
        sleep(ofHours(1));
        assertEquals(ofHours(1), testLoop.currentTime());
    }

    @Test
    void aTestWithoutTheParameterStillRunsOnALoop() {
        Task<Void> t = createTask(() -> sleep(ofMinutes(3)));
        t.await();
        assertEquals(ofMinutes(3).toNanos(), Asyncio.getRunningLoop().timeNanos());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void parameterizedInvocationsEachGetAFreshLoop(int minutes, TestLoop testLoop) {
        assertEquals(Duration.ZERO, testLoop.currentTime(), "a fresh clock per invocation");
        Mono.delay(ofMinutes(minutes)).subscribe();
        sleep(ofMinutes(minutes));
        assertEquals(ofMinutes(minutes), testLoop.currentTime());
    }

    @RepeatedTest(2)
    void repetitionsEachGetAFreshLoop(TestLoop testLoop) {
        assertEquals(Duration.ZERO, testLoop.currentTime());
        sleep(ofMinutes(1));
    }

    @Test
    @AsyncioTest(timeMode = TimeMode.MANUAL, timeout = 20, timeoutUnit = TimeUnit.SECONDS)
    void theMethodsAnnotationWinsOverTheClasss(TestLoop testLoop) {
        assertEquals(TimeMode.MANUAL, testLoop.timeMode());
        assertEquals(Duration.ofSeconds(20), testLoop.timeout());
        Task<Void> t = createTask(() -> sleep(ofMinutes(1)));
        testLoop.runCurrent();
        assertFalse(t.isDone());
        testLoop.advanceTimeBy(ofMinutes(1));
        assertTrue(t.isDone());
    }

    @Nested
    @AsyncioTest(timeMode = TimeMode.MANUAL)
    class ManualNested {
        @Test
        void theNestedClasssAnnotationApplies(TestLoop testLoop) {
            assertEquals(TimeMode.MANUAL, testLoop.timeMode());
            testLoop.advanceTimeTo(ofMinutes(2));
            assertEquals(ofMinutes(2), testLoop.currentTime());
        }
    }

    @Nested
    class InheritingNested {
        @Test
        void theEnclosingClasssAnnotationApplies(TestLoop testLoop) {
            assertEquals(TimeMode.AUTO_JUMP, testLoop.timeMode());
            sleep(ofHours(5));
            assertEquals(ofHours(5), testLoop.currentTime());
        }
    }
}
