package dev.asyncio.rxjava3;

import dev.asyncio.EventLoop;
import dev.asyncio.internal.BlockingCallMessage;
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
    private static final String RXJAVA = "io.reactivex.rxjava3.";
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
        String found = BlockingCallMessage.blockingOperator(BlockingGuard::operatorOf,
                c -> c.startsWith(RXJAVA) || c.startsWith("java.util."));
        return found != null ? found : "a blocking RxJava operator";
    }

    /** The public blocking operators by name; the observers behind toFuture() and the blocking iterables. */
    private static String operatorOf(String className, String method) {
        if (className.startsWith(RXJAVA + "core.")) {
            return method.startsWith("blocking") ? className.substring((RXJAVA + "core.").length()) + "." + method + "()" : null;
        } else if (className.startsWith(RXJAVA + "internal.observers.Future")
                || className.startsWith(RXJAVA + "internal.subscribers.FutureSubscriber")) {
            return "toFuture().get()";
        } else if (className.startsWith(RXJAVA + "internal.operators.flowable.Blocking")) {
            return "Flowable.blockingIterable()/blockingStream()/blockingLatest()/blockingNext()";
        } else if (className.startsWith(RXJAVA + "internal.operators.observable.Blocking")) {
            return "Observable.blockingIterable()/blockingStream()/blockingLatest()/blockingNext()";
        }
        return null;
    }

    private static String message(String operator, EventLoop loop) {
        int dot = operator.indexOf('.');
        String type = dot < 0 ? "" : operator.substring(0, dot);
        String method = operator.substring(dot + 1);
        String instead = switch (type) {
            case "Single", "Maybe", "Completable" -> "RxCoroutines.await(" + Character.toLowerCase(type.charAt(0)) + type.substring(1) + ")";
            case "toFuture()" -> "RxCoroutines.await(single) (or await(maybe), await(completable), awaitFirst/awaitLast)";
            case "Flowable", "Observable" -> switch (method) {
                case "blockingFirst()" -> "RxCoroutines.awaitFirst(source)";
                case "blockingLast()" -> "RxCoroutines.awaitLast(source)";
                case "blockingSingle()" -> "RxCoroutines.awaitSingle(source)";
                default -> type.equals("Flowable") ? "RxCoroutines.iterate(flowable) in a try-with-resources for-each"
                        : "RxCoroutines.iterate(observable.toFlowable(BackpressureStrategy.BUFFER)) in a try-with-resources for-each";
            };
            default -> "RxCoroutines.await(single), await(maybe), await(completable), awaitFirst/awaitLast or iterate";
        };
        return BlockingCallMessage.of(operator, loop, instead, null, OPT_OUT_PROPERTY);
    }
}
