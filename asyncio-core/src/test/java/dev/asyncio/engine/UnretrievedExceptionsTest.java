package dev.asyncio.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The engine's record of exceptions never retrieved, on its own: each is reported once, or never if retrieved. */
class UnretrievedExceptionsTest {
    private final List<LostException> reported = new ArrayList<>();

    @Test
    void atCloseEachUnretrievedExceptionIsReportedOnceAndRetrievedOnesNever() {
        UnretrievedExceptions unretrieved = new UnretrievedExceptions(reported::add, action -> false);
        Object lostFuture = new Object();
        Object seenFuture = new Object();
        RuntimeException boom = new RuntimeException("lost");
        LostException lost = unretrieved.track(lostFuture, boom, "Task", "<Task finished name='t'>");
        unretrieved.track(seenFuture, new RuntimeException("seen"), "Future", "<Future finished>").retrieved();
        unretrieved.reportAll();
        unretrieved.reportAll();
        lost.retrieved();
        assertEquals(List.of(lost), reported);
        assertSame(boom, lost.exception());
        assertEquals("Task exception was never retrieved\ntask: <Task finished name='t'>", lost.message());
    }

    @Test
    void aCollectedFutureIsReportedThroughTheLoopsTurnWhenItRuns() throws Exception {
        LinkedBlockingQueue<Runnable> turn = new LinkedBlockingQueue<>();
        UnretrievedExceptions unretrieved = new UnretrievedExceptions(reported::add, turn::add);
        RuntimeException boom = new RuntimeException("collected");
        Runnable fail = () -> unretrieved.track(new Object(), boom, "Future", "<Future finished>");
        fail.run();
        // Prompt the GC until the cleaner has posted the report (an event, not a guessed delay); bounded.
        Runnable posted = null;
        for (int i = 0; i < 300 && posted == null; i++) {
            System.gc();
            posted = turn.poll(10, TimeUnit.MILLISECONDS);
        }
        assertNotNull(posted, "the cleaner posted the report to the turn");
        assertEquals(List.of(), reported, "not reported on the cleaner thread while the loop runs");
        posted.run();
        assertEquals(1, reported.size());
        assertSame(boom, reported.get(0).exception());
        unretrieved.reportAll();
        assertEquals(1, reported.size(), "nothing more at close");
    }
}
