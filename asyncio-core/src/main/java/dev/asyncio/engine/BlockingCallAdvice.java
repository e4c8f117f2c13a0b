package dev.asyncio.engine;

import java.util.List;

/**
 * What to call instead of the blocking call a stuck step is in, read from that step's stack: the
 * suspending form of README's table "a coroutine never blocks" ({@code Thread.sleep} becomes
 * {@code Asyncio.sleep}, {@code HttpClient.send} becomes {@code sendAsync} awaited, a JDK future's
 * {@code get()}/{@code join()} becomes {@code Asyncio.await}), else {@code Asyncio.toThread} for blocking
 * I/O, locks and anything else. For debug mode's slow-callback reports and asyncio-spring's slow-step log.
 */
public final class BlockingCallAdvice {
    /** How deep to look: a blocking call is a few frames above the JDK's park or native read. */
    private static final int DEPTH = 24;

    private BlockingCallAdvice() {
    }

    /**
     * @param stack the stack of the thread holding the turn, innermost frame first (may be empty)
     * @return one sentence naming the blocking call found and its non-blocking form, or a general one
     *     if none is recognised
     */
    public static String of(List<StackTraceElement> stack) {
        int depth = Math.min(DEPTH, stack.size());
        // The call the user wrote is above the JDK's own blocking (a future's get() parks in LockSupport).
        for (int i = 0; i < depth; i++) {
            String advice = knownCall(stack.get(i).getClassName(), stack.get(i).getMethodName());
            if (advice != null) {
                return advice;
            }
        }
        for (int i = 0; i < depth; i++) {
            String advice = blockingApi(stack.get(i).getClassName(), stack.get(i).getMethodName());
            if (advice != null) {
                return advice;
            }
        }
        return "If the step blocks (I/O, a lock, a blocking library), run that call with Asyncio.toThread(() -> ...); "
                + "if it computes, split the work or move it to toThread too.";
    }

    private static String knownCall(String cls, String method) {
        if (cls.equals("java.lang.Thread") && method.equals("sleep")) {
            return "It is in Thread.sleep: write Asyncio.sleep(d) instead, which suspends the coroutine.";
        }
        if (cls.startsWith("jdk.internal.net.http.HttpClient") && method.equals("send")
                || cls.equals("java.net.http.HttpClient") && method.equals("send")) {
            return "It is in HttpClient.send: write Asyncio.await(httpClient.sendAsync(request, handler)) instead.";
        }
        if (cls.equals("java.util.concurrent.CompletableFuture") && (method.equals("get") || method.equals("join"))
                || cls.equals("java.util.concurrent.FutureTask") && method.equals("get")) {
            return "It is in a JDK future's " + method + "(): write Asyncio.await(future) instead (any CompletionStage).";
        }
        return null;
    }

    private static String blockingApi(String cls, String method) {
        if (cls.startsWith("java.sql.") || cls.startsWith("java.io.") || cls.startsWith("java.net.")
                || cls.startsWith("sun.nio.") || cls.startsWith("java.nio.channels.") || cls.startsWith("java.nio.file.")
                || cls.startsWith("java.util.concurrent.locks.")) {
            return "It is in a blocking call (" + cls + "." + method + "): run it with Asyncio.toThread(() -> ...), "
                    + "which suspends the coroutine while another thread blocks.";
        }
        return null;
    }
}
