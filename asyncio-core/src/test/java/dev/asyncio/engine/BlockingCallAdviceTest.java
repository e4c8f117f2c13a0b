package dev.asyncio.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link BlockingCallAdvice}: the suspending form of the blocking call a stack shows (README's table). */
class BlockingCallAdviceTest {
    private static StackTraceElement frame(String cls, String method) {
        return new StackTraceElement(cls, method, null, -1);
    }

    private static final StackTraceElement USER = frame("com.example.Handler", "lambda$get$0");

    @Test
    void httpClientSendBecomesSendAsync() {
        String advice = BlockingCallAdvice.of(List.of(frame("jdk.internal.misc.Unsafe", "park"),
                frame("java.util.concurrent.CompletableFuture", "waitingGet"),
                frame("jdk.internal.net.http.HttpClientImpl", "send"),
                frame("jdk.internal.net.http.HttpClientFacade", "send"), USER));
        assertTrue(advice.contains("sendAsync"), advice);
    }

    @Test
    void aJdbcCallGoesToToThread() {
        String advice = BlockingCallAdvice.of(List.of(frame("sun.nio.ch.NioSocketImpl", "read"),
                frame("java.net.SocketInputStream", "read"), frame("org.postgresql.core.PGStream", "receive"), USER));
        assertTrue(advice.contains("Asyncio.toThread") && advice.contains("sun.nio.ch.NioSocketImpl.read"), advice);
    }

    @Test
    void aComputationGetsTheGeneralAdvice() {
        String advice = BlockingCallAdvice.of(List.of(frame("java.math.BigInteger", "multiply"), USER));
        assertTrue(advice.startsWith("If the step blocks") && advice.contains("toThread"), advice);
    }
}
