package dev.asyncio.internal;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
import org.junit.jupiter.api.Test;

class CurrentTaskTest {

    @Test
    void theTaskInACoroutineAndNullInACallbackOrOffTheLoop() {
        assertNull(CurrentTask.orNull(), "no loop runs on this thread");
        Asyncio.run(() -> {
            Task<?> me = Asyncio.currentTask();
            assertSame(me, CurrentTask.orNull());
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Task<?>> inCallback = loop.createFuture();
            loop.callSoon(() -> inCallback.setResult(CurrentTask.orNull()));
            assertNull(inCallback.await());
            assertNull(Asyncio.toThread(CurrentTask::orNull), "a worker thread holds no loop's turn");
        });
    }
}
