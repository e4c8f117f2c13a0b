package dev.asyncio.reactor;

import dev.asyncio.EventLoop;
import dev.asyncio.internal.BlockingCallMessage;
import dev.asyncio.internal.LoopInternals;
import java.util.function.Predicate;
import reactor.core.scheduler.Schedulers;

/**
 * Refuses Reactor's blocking operators ({@code Mono.block()}, {@code Flux.blockFirst()},
 * {@code blockLast()}, their timeout forms, {@code blockOptional()}, {@code toIterable()},
 * {@code toStream()}) on a thread that holds an event loop's turn, where they would stall the loop
 * until their timeout (nothing else on the loop can run, so nothing completes them).
 *
 * <p>How: one predicate registered with {@link Schedulers#registerNonBlockingThreadPredicate}, which
 * Reactor ORs with its own and consults in {@link Schedulers#isInNonBlockingThread()} before it blocks.
 * The predicate is {@code true} only for the calling thread while it holds a loop's turn
 * ({@code LoopInternals.runningLoopOrNull()}), so every other thread keeps Reactor's own rule. When Reactor
 * asks from one of its blocking operators, the predicate throws an {@link IllegalStateException}
 * itself, whose message names the operator and the suspending call to use instead; asked from
 * anywhere else, it just answers {@code true}. Installed on first use of {@link ReactorCoroutines}
 * (its static initializer) and by {@link ReactorCoroutines#installBlockingGuard()}, never twice;
 * {@code -Ddev.asyncio.reactor.blockingGuard=false} leaves Reactor alone.
 * {@link Schedulers#resetNonBlockingThreadPredicate()} removes it (as it removes every registered
 * predicate); {@link ReactorCoroutines#installBlockingGuard()} then installs it again.
 */
final class BlockingGuard implements Predicate<Thread> {
    static final String OPT_OUT_PROPERTY = "dev.asyncio.reactor.blockingGuard";
    private static final String PUBLISHER_PACKAGE = "reactor.core.publisher.";
    private static final BlockingGuard INSTANCE = new BlockingGuard();
    /** Never started: only this predicate calls it non-blocking, which tells whether it is still registered. */
    private static final Thread PROBE = Thread.ofVirtual().unstarted(() -> { });

    private BlockingGuard() {
    }

    /** @return whether the guard is off because of {@code -Ddev.asyncio.reactor.blockingGuard=false} */
    static boolean optedOut() {
        return !Boolean.parseBoolean(System.getProperty(OPT_OUT_PROPERTY, "true"));
    }

    /**
     * Registers the predicate unless it is registered already (also after a reset of Reactor's predicates,
     * which this notices) or the user opted out.
     *
     * @return whether the predicate is registered
     */
    static synchronized boolean install() {
        if (optedOut()) {
            return false;
        }
        if (!Schedulers.isNonBlockingThread(PROBE)) {
            Schedulers.registerNonBlockingThreadPredicate(INSTANCE);
        }
        return true;
    }

    @Override
    public boolean test(Thread thread) {
        if (thread == PROBE) {
            return true; // lets install() see whether this predicate is still registered
        }
        if (thread != Thread.currentThread()) {
            return false; // a loop's turn is known for the calling thread only
        }
        EventLoop loop = LoopInternals.runningLoopOrNull();
        if (loop == null) {
            return false;
        }
        String operator = blockingOperator();
        if (operator == null) {
            return true; // asked by someone else (e.g. a library checking where it runs): just answer
        }
        throw new IllegalStateException(message(operator, loop));
    }

    /** The Reactor method the user called that led here, e.g. "Mono.block()", or null if not a blocking operator. */
    private static String blockingOperator() {
        return BlockingCallMessage.blockingOperator(BlockingGuard::operatorOf,
                c -> c.startsWith(PUBLISHER_PACKAGE) || c.startsWith("java.util."));
    }

    /** Mono/Flux block methods by name; the subscribers behind toIterable()/toStream() and other blocking operators. */
    private static String operatorOf(String className, String method) {
        if (className.equals(PUBLISHER_PACKAGE + "Mono") || className.equals(PUBLISHER_PACKAGE + "Flux")) {
            return method.startsWith("block") ? className.substring(PUBLISHER_PACKAGE.length()) + "." + method + "()" : null;
        }
        if (className.startsWith(PUBLISHER_PACKAGE + "BlockingIterable")) {
            return "Flux.toIterable()/toStream()"; // iterated by the caller, or via Flux.toStream
        }
        return className.startsWith(PUBLISHER_PACKAGE + "Blocking") ? "a blocking Reactor operator" : null;
    }

    private static String message(String operator, EventLoop loop) {
        String instead = switch (operator) {
            case "Mono.blockOptional()" -> "Optional.ofNullable(ReactorCoroutines.await(mono))";
            case "Mono.block()" ->
                "ReactorCoroutines.await(mono) (with a time limit: Asyncio.waitFor or Asyncio.timeout around it, or mono.timeout(d))";
            case "Flux.blockFirst()" ->
                "ReactorCoroutines.awaitFirst(flux) (or awaitFirstOrNull, which returns null when it is empty, as blockFirst does)";
            case "Flux.blockLast()" -> "ReactorCoroutines.awaitLast(flux)";
            case "Flux.toIterable()/toStream()" -> "ReactorCoroutines.iterate(flux) in a try-with-resources for-each";
            default -> "ReactorCoroutines.await(mono), awaitFirst/awaitLast(publisher) or iterate(publisher)";
        };
        return BlockingCallMessage.of(operator, loop, instead, "Reactor: block()/blockFirst()/blockLast() are blocking, "
                + "which is not supported in thread " + Thread.currentThread().getName(), OPT_OUT_PROPERTY);
    }
}
