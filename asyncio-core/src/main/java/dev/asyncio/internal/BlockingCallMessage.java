package dev.asyncio.internal;

import dev.asyncio.EventLoop;
import dev.asyncio.Task;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The text of the error a bridge's blocking guard throws when a library's blocking operator (Reactor's
 * {@code Mono.block()}, RxJava's {@code blockingGet()}, …) is called on a loop's turn, and the frames
 * the guard reads to name that operator. The bridges say which operator it was and what to call
 * instead; the rest of the message is the same everywhere.
 */
public final class BlockingCallMessage {
    /** How deep the guard looks for the operator: the library's own frames come first, then the caller. */
    private static final int OPERATOR_SEARCH_DEPTH = 32;

    private BlockingCallMessage() {
    }

    /**
     * Names the library operator that led to the calling thread's blocking check: the caller's frames
     * are read innermost first, at most {@value #OPERATOR_SEARCH_DEPTH}; {@code classify} names a frame
     * that belongs to a blocking operator (or returns {@code null}), an outer named frame overriding an
     * inner one (the user called the outermost: {@code Flowable.blockingSingle()} blocks in
     * {@code Single.blockingGet()}); the search ends at the first frame past a named one whose class is
     * not the library's.
     *
     * @param classify (class name, method name) to the operator's name, or {@code null}
     * @param libraryClass whether a class name belongs to the library (or the JDK code it calls through)
     * @return the operator's name, or {@code null} if no frame was named
     */
    public static String blockingOperator(BiFunction<String, String, String> classify, Predicate<String> libraryClass) {
        return StackWalker.getInstance().walk(frames -> {
            String found = null;
            for (StackWalker.StackFrame f : (Iterable<StackWalker.StackFrame>) frames.limit(OPERATOR_SEARCH_DEPTH)::iterator) {
                String named = classify.apply(f.getClassName(), f.getMethodName());
                if (named != null) {
                    found = named;
                } else if (found != null && !libraryClass.test(f.getClassName())) {
                    return found; // the first caller frame past the library's blocking code
                }
            }
            return found;
        });
    }

    /**
     * Call on the thread that holds {@code loop}'s turn.
     *
     * @param operator the blocking operator the user called, e.g. {@code "Mono.block()"}
     * @param loop the loop whose turn the calling thread holds
     * @param instead the suspending call to use instead
     * @param libraryNote what the library itself would say, ahead of the opt-out hint, or {@code null}
     * @param optOutProperty the system property that turns the guard off
     * @return the message
     */
    public static String of(String operator, EventLoop loop, String instead, String libraryNote, String optOutProperty) {
        Task<?> task = LoopInternals.currentTaskOrNull();
        String where = task != null ? "in coroutine '" + task.getName() + "'" : "in a callback";
        return operator + " is blocking and was called " + where + " on the turn of " + loop
                + ": it would stall the event loop (nothing else on it could run, so nothing could complete it). "
                + "Suspend instead with " + instead + "; or run blocking code off the loop with Asyncio.toThread(...). ("
                + (libraryNote != null ? libraryNote + "; this" : "This")
                + " check can be turned off with -D" + optOutProperty + "=false)";
    }
}
