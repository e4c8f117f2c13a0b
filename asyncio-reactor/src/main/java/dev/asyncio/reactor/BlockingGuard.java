package dev.asyncio.reactor;

import dev.asyncio.EventLoop;
import dev.asyncio.Task;
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
        return StackWalker.getInstance().walk(frames -> {
            String found = null;
            for (StackWalker.StackFrame f : (Iterable<StackWalker.StackFrame>) frames.limit(24)::iterator) {
                String c = f.getClassName();
                String m = f.getMethodName();
                if (c.equals("reactor.core.publisher.Mono") && m.startsWith("block")) {
                    return "Mono." + m + "()";
                }
                if (c.equals("reactor.core.publisher.Flux") && m.startsWith("block")) {
                    return "Flux." + m + "()";
                }
                if (c.startsWith("reactor.core.publisher.BlockingIterable")) {
                    found = "Flux.toIterable()/toStream()"; // iterated by the caller, or via Flux.toStream
                } else if (c.startsWith("reactor.core.publisher.Blocking") && found == null) {
                    found = "a blocking Reactor operator";
                } else if (found != null && !c.startsWith("reactor.core.publisher.")
                        && !c.startsWith("java.util.")) {
                    return found; // first caller frame past the blocking subscriber
                }
            }
            return found;
        });
    }

    private static String message(String operator, EventLoop loop) {
        Task<?> task = loop.isOnTurn() ? currentTaskOrNull() : null;
        String where = task != null ? "in coroutine '" + task.getName() + "'" : "in a callback";
        String instead;
        if (operator.startsWith("Mono.blockOptional")) {
            instead = "Optional.ofNullable(ReactorCoroutines.await(mono))";
        } else if (operator.startsWith("Mono.")) {
            instead = "ReactorCoroutines.await(mono) (with a time limit: Asyncio.waitFor or Asyncio.timeout around it, or mono.timeout(d))";
        } else if (operator.startsWith("Flux.blockFirst")) {
            instead = "ReactorCoroutines.awaitFirst(flux) (or awaitFirstOrNull, which returns null when it is empty, as blockFirst does)";
        } else if (operator.startsWith("Flux.blockLast")) {
            instead = "ReactorCoroutines.awaitLast(flux)";
        } else if (operator.startsWith("Flux.to")) {
            instead = "ReactorCoroutines.iterate(flux) in a try-with-resources for-each";
        } else {
            instead = "ReactorCoroutines.await(mono), awaitFirst/awaitLast(publisher) or iterate(publisher)";
        }
        return operator + " is blocking and was called " + where + " on the turn of " + loop
                + ": it would stall the event loop (nothing else on it could run, so nothing could complete it). "
                + "Suspend instead with " + instead + "; or run blocking code off the loop with Asyncio.toThread(...). "
                + "(Reactor: block()/blockFirst()/blockLast() are blocking, which is not supported in thread "
                + Thread.currentThread().getName() + "; this check can be turned off with -D" + OPT_OUT_PROPERTY + "=false)";
    }

    private static Task<?> currentTaskOrNull() {
        try {
            return dev.asyncio.Asyncio.currentTask();
        } catch (IllegalStateException e) {
            return null;
        }
    }

}
