package dev.asyncio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A task made from a {@link VoidCoroutine} runs the body itself, without keeping the {@link VoidBody} adapter. */
class VoidBodyTest {
    @Test
    void aVoidTaskRunsItsBodyAcrossSuspensionsAndEndsWithNull() {
        List<String> steps = new ArrayList<>();
        Object result = VirtualLoops.run(() -> {
            Task<Void> t = Asyncio.createTask(() -> {
                steps.add("before");
                Asyncio.sleep(Duration.ofSeconds(1));
                steps.add("after");
            });
            return t.await();
        });
        assertNull(result);
        assertEquals(List.of("before", "after"), steps);
    }

    @Test
    void aVoidTaskFailsWithTheBodysOwnException() {
        IOException thrown = new IOException("disk");
        VirtualLoops.run(() -> {
            Task<Void> t = Asyncio.createTask(() -> {
                throw thrown;
            });
            Exception seen = assertThrows(IOException.class, t::await);
            assertSame(thrown, seen);
            return null;
        });
    }

    @Test
    void getCoroOfAVoidTaskRunsTheSameBody() throws Exception {
        int[] runs = {0};
        VoidCoroutine body = () -> runs[0]++;
        try (EventLoop loop = new EventLoop(new VirtualClock())) {
            Task<Void> t = loop.createTask(body);
            Coroutine<Void> coro = t.getCoro();
            assertNull(coro.call());
            assertEquals(1, runs[0]);
            assertEquals(coro, t.getCoro(), "each call adapts the same body");
            t.cancel();
        }
    }

    @Test
    void aBodyThatIsAlsoACoroutineRunsAsTheVoidCoroutineItWasGivenAs() {
        Both both = new Both();
        Object result = VirtualLoops.run(() -> Asyncio.createTask((VoidCoroutine) both).await());
        assertNull(result);
        assertEquals(1, both.runs);
    }

    @Test
    void aCoroutineTaskReturnsItsCoroutineAsIs() {
        Coroutine<Integer> coro = () -> 7;
        try (EventLoop loop = new EventLoop(new VirtualClock())) {
            Task<Integer> t = loop.createTask(coro);
            assertSame(coro, t.getCoro());
            assertTrue(loop.runUntilComplete(t) == 7);
        }
    }

    /** Implements both interfaces: given as a VoidCoroutine, its run() is the body, not its call(). */
    private static final class Both implements Coroutine<Object>, VoidCoroutine {
        int runs;

        @Override
        public Object call() {
            throw new AssertionError("call() must not be called on a body given as a VoidCoroutine");
        }

        @Override
        public void run() {
            runs++;
        }
    }
}
