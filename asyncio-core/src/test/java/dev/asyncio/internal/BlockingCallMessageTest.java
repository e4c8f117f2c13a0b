package dev.asyncio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import org.junit.jupiter.api.Test;

class BlockingCallMessageTest {

    @Test
    void inACoroutineTheMessageNamesTheTaskTheLoopAndTheWayOut() {
        String[] seen = new String[2];
        String message = Asyncio.run(() -> Asyncio.createTask(() -> {
            seen[0] = Asyncio.getRunningLoop().toString();
            return BlockingCallMessage.of("Lib.block()", Asyncio.getRunningLoop(), "Lib.await(x)", null, "lib.guard");
        }, "blocker").await());
        assertTrue(message.startsWith("Lib.block() is blocking and was called in coroutine 'blocker' on the turn of " + seen[0]),
                message);
        assertTrue(message.contains("Suspend instead with Lib.await(x); or run blocking code off the loop with Asyncio.toThread(...)"),
                message);
        assertTrue(message.endsWith("(This check can be turned off with -Dlib.guard=false)"), message);
    }

    @Test
    void inACallbackItSaysSoAndKeepsTheLibrarysNote() {
        String message = Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<String> made = loop.createFuture();
            loop.callSoon(() -> made.setResult(BlockingCallMessage.of("Lib.block()", loop, "Lib.await(x)", "Lib: not here", "lib.guard")));
            return made.await();
        });
        assertTrue(message.contains("was called in a callback on the turn of"), message);
        assertTrue(message.endsWith("(Lib: not here; this check can be turned off with -Dlib.guard=false)"), message);
    }

    @Test
    void theOutermostNamedFrameWinsAndTheSearchStopsAtTheCaller() {
        assertEquals("outer()", BlockingCallMessageTest.outerBlocking());
        assertNull(BlockingCallMessage.blockingOperator((c, m) -> null, c -> true), "no frame named");
    }

    /** Stands for a library's public operator that blocks inside an inner one. */
    private static String outerBlocking() {
        return innerBlocking();
    }

    private static String innerBlocking() {
        String me = BlockingCallMessageTest.class.getName();
        return BlockingCallMessage.blockingOperator((c, m) -> !c.equals(me) ? null
                : m.equals("innerBlocking") ? "inner()" : m.equals("outerBlocking") ? "outer()" : null,
                c -> c.equals(me));
    }
}
