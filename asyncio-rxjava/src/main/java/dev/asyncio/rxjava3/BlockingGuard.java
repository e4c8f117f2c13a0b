package dev.asyncio.rxjava3;

import dev.asyncio.Asyncio;
import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import dev.asyncio.internal.LoopInternals;
import io.reactivex.rxjava3.functions.BooleanSupplier;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;

/**
 * Refuses RxJava's blocking operators ({@code blockingGet()}, {@code blockingAwait()},
 * {@code blockingFirst()}, {@code blockingLast()}, {@code blockingSingle()}, {@code blockingIterable()},
 * {@code blockingSubscribe()}, {@code toFuture().get()}, …) on a thread that holds an event loop's turn,
 * where they would stall the loop (nothing else on it can run, so nothing completes what they wait for).
 *
 * <p>How: RxJava 3 calls {@code RxJavaPlugins.onBeforeBlocking()} before it blocks, when
 * {@code RxJavaPlugins.isFailOnNonBlockingScheduler()} is on, and refuses if it answers {@code true}. This
 * class is that hook: on a loop's turn it throws an {@link IllegalStateException} itself, whose message
 * names the operator and the suspending call to use instead; elsewhere it answers what the hook set before
 * it answers (RxJava's default: {@code false}). Installing it sets two global RxJava settings:
 * {@code setOnBeforeBlocking(this)} (wrapping the previous hook, if any) and
 * {@code setFailOnNonBlockingScheduler(true)}, which also makes RxJava refuse blocking operators on its own
 * computation and single schedulers' threads (its documented purpose). Opt out with
 * {@code -Ddev.asyncio.rxjava3.blockingGuard=false}; {@code RxJavaPlugins.reset()} removes it, and after
 * {@code RxJavaPlugins.lockdown()} it cannot be installed.
 */
final class BlockingGuard implements BooleanSupplier {
    static final String OPT_OUT_PROPERTY = "dev.asyncio.rxjava3.blockingGuard";
    private final BooleanSupplier previous;

    private BlockingGuard(BooleanSupplier previous) {
        this.previous = previous;
    }

    /** @return whether the guard is off because of {@code -Ddev.asyncio.rxjava3.blockingGuard=false} */
    static boolean optedOut() {
        return !Boolean.parseBoolean(System.getProperty(OPT_OUT_PROPERTY, "true"));
    }

    /**
     * Installs the hook unless it is installed already, the user opted out, or RxJava is locked down.
     *
     * @return whether the hook is installed
     */
    static synchronized boolean install() {
        if (optedOut()) {
            return false;
        }
        BooleanSupplier current = RxJavaPlugins.getOnBeforeBlocking();
        if (current instanceof BlockingGuard && RxJavaPlugins.isFailOnNonBlockingScheduler()) {
            return true;
        }
        if (RxJavaPlugins.isLockdown()) {
            return false;
        }
        if (!(current instanceof BlockingGuard)) {
            RxJavaPlugins.setOnBeforeBlocking(new BlockingGuard(current));
        }
        RxJavaPlugins.setFailOnNonBlockingScheduler(true);
        return true;
    }

    @Override
    public boolean getAsBoolean() throws Throwable {
        EventLoop loop = LoopInternals.runningLoopOrNull();
        if (loop != null) {
            throw new IllegalStateException(message(blockingOperator(), loop));
        }
        return previous != null && previous.getAsBoolean();
    }

    /** The RxJava method the user called that led here, e.g. "Single.blockingGet()". */
    private static String blockingOperator() {
        return StackWalker.getInstance().walk(frames -> {
            String found = null;
            for (StackWalker.StackFrame f : (Iterable<StackWalker.StackFrame>) frames.limit(24)::iterator) {
                String c = f.getClassName();
                String m = f.getMethodName();
                if (c.startsWith("io.reactivex.rxjava3.core.") && m.startsWith("blocking")) {
                    // The outermost one wins: Flowable.blockingSingle() blocks in Single.blockingGet().
                    found = c.substring("io.reactivex.rxjava3.core.".length()) + "." + m + "()";
                } else if (c.startsWith("io.reactivex.rxjava3.internal.observers.Future")
                        || c.startsWith("io.reactivex.rxjava3.internal.subscribers.FutureSubscriber")) {
                    found = "toFuture().get()";
                } else if (found != null && found.contains(".blocking")) {
                    if (!c.startsWith("io.reactivex.rxjava3.")) {
                        return found; // first caller frame past RxJava's public blocking operator
                    }
                } else if (c.startsWith("io.reactivex.rxjava3.internal.operators.flowable.Blocking")) {
                    found = "Flowable.blockingIterable()/blockingStream()/blockingLatest()/blockingNext()";
                } else if (c.startsWith("io.reactivex.rxjava3.internal.operators.observable.Blocking")) {
                    found = "Observable.blockingIterable()/blockingStream()/blockingLatest()/blockingNext()";
                } else if (found != null && !c.startsWith("io.reactivex.rxjava3.") && !c.startsWith("java.util.")) {
                    return found; // first caller frame past RxJava's blocking code
                }
            }
            return found != null ? found : "a blocking RxJava operator";
        });
    }

    private static String message(String operator, EventLoop loop) {
        String instead;
        if (operator.startsWith("Single.") || operator.startsWith("Maybe.") || operator.startsWith("Completable.")) {
            String type = operator.substring(0, operator.indexOf('.'));
            instead = "RxCoroutines.await(" + Character.toLowerCase(type.charAt(0)) + type.substring(1) + ")";
        } else if (operator.contains(".blockingFirst")) {
            instead = "RxCoroutines.awaitFirst(source)";
        } else if (operator.contains(".blockingLast")) {
            instead = "RxCoroutines.awaitLast(source)";
        } else if (operator.contains(".blockingSingle")) {
            instead = "RxCoroutines.awaitSingle(source)";
        } else if (operator.startsWith("Flowable.")) {
            instead = "RxCoroutines.iterate(flowable) in a try-with-resources for-each";
        } else if (operator.startsWith("Observable.")) {
            instead = "RxCoroutines.iterate(observable.toFlowable(BackpressureStrategy.BUFFER)) in a try-with-resources for-each";
        } else if (operator.startsWith("toFuture")) {
            instead = "RxCoroutines.await(single) (or await(maybe), await(completable), awaitFirst/awaitLast)";
        } else {
            instead = "RxCoroutines.await(single), await(maybe), await(completable), awaitFirst/awaitLast or iterate";
        }
        Task<?> task = currentTaskOrNull();
        String where = task != null ? "in coroutine '" + task.getName() + "'" : "in a callback";
        return operator + " is blocking and was called " + where + " on the turn of " + loop
                + ": it would stall the event loop (nothing else on it could run, so nothing could complete it). "
                + "Suspend instead with " + instead + "; or run blocking code off the loop with Asyncio.toThread(...). "
                + "(This check can be turned off with -D" + OPT_OUT_PROPERTY + "=false)";
    }

    private static Task<?> currentTaskOrNull() {
        try {
            return Asyncio.currentTask();
        } catch (IllegalStateException e) {
            return null;
        }
    }
}
