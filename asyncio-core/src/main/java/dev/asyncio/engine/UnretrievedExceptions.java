package dev.asyncio.engine;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The exceptions set on futures of one loop and not yet retrieved (asyncio's {@code _log_traceback}), each
 * a {@link LostException}: reported when its future is collected (from the cleaner thread) or when the loop
 * closes, whichever comes first; dropped once retrieved. Thread-safe: the cleaner thread and the loop's
 * turn both reach it.
 *
 * <p>The engine knows neither futures nor the exception handler: a future is an {@code Object} watched by
 * a {@link Cleaner}, and each report goes to the consumer the loop supplies.
 */
public final class UnretrievedExceptions {
    /** One thread for every loop: collections of futures that failed are rare. */
    private static final Cleaner CLEANER = Cleaner.create(
            Thread.ofPlatform().daemon().name("asyncio-lost-exceptions").factory());

    private final Set<LostException> lost = ConcurrentHashMap.newKeySet();
    private final Consumer<LostException> report;
    private final Predicate<Runnable> runOnTurn;

    /**
     * @param report reports one exception (to the loop's exception handler), on the calling thread: the
     *     loop's turn, the closing host, or the cleaner thread when nobody runs the loop
     * @param runOnTurn schedules an action on the loop's turn from any thread, returning {@code false} if
     *     nobody runs the loop (idle or closed), so that a collection is reported on the turn if it can be
     */
    public UnretrievedExceptions(Consumer<LostException> report, Predicate<Runnable> runOnTurn) {
        this.report = Objects.requireNonNull(report, "report");
        this.runOnTurn = Objects.requireNonNull(runOnTurn, "runOnTurn");
    }

    /**
     * A future failed with {@code exception}; on the loop's turn. Until {@link LostException#retrieved()}
     * is called, the exception is reported when {@code future} becomes unreachable or the loop closes.
     *
     * @param future the future; only watched for its collection, never referred to
     * @param exception what it failed with
     * @param kind "Task" or "Future", for the message
     * @param description the future as it printed when it failed, for the message
     * @return the record, which the future keeps to say when the exception is retrieved
     */
    public LostException track(Object future, Throwable exception, String kind, String description) {
        LostException l = new LostException(this, exception, kind, description);
        lost.add(l);
        l.cleanable = CLEANER.register(future, l::collected);
        return l;
    }

    void untrack(LostException l) {
        lost.remove(l);
    }

    /** From the cleaner thread: report on the loop's turn if it runs, else right here. */
    void reportCollected(LostException l) {
        lost.remove(l);
        if (!runOnTurn.test(() -> report.accept(l))) {
            report.accept(l);
        }
    }

    void reportNow(LostException l) {
        lost.remove(l);
        report.accept(l);
    }

    /** At close, on the host: every exception still unretrieved is reported now. */
    public void reportAll() {
        for (LostException l : new ArrayList<>(lost)) {
            l.reportNow();
        }
    }
}
