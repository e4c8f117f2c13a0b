package dev.asyncio;

import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exceptions set on futures of one {@link EventLoop} and not yet retrieved (asyncio's
 * {@code _log_traceback}), each a {@link LostException}: reported to the loop's exception handler when
 * its future is collected (from the JDK's cleaner thread) or when the loop closes, whichever comes
 * first. Thread-safe: the cleaner thread and the loop's turn both reach it.
 */
final class UnretrievedExceptions {
    private final EventLoop loop;
    private final Set<LostException> lost = ConcurrentHashMap.newKeySet();

    UnretrievedExceptions(EventLoop loop) {
        this.loop = loop;
    }

    void track(LostException l) {
        lost.add(l);
    }

    void untrack(LostException l) {
        lost.remove(l);
    }

    /** From the cleaner thread: report on the loop's turn if it runs, else right here. */
    void reportCollected(LostException l) {
        lost.remove(l);
        if (loop.engine.hasHost()) {
            try {
                loop.callSoonThreadsafe(() -> loop.callExceptionHandler(l.context()));
                return;
            } catch (IllegalStateException closedMeanwhile) {
                // fall through
            }
        }
        loop.callExceptionHandler(l.context());
    }

    void reportNow(LostException l) {
        lost.remove(l);
        loop.callExceptionHandler(l.context());
    }

    /** At close, on the host: every exception still unretrieved is reported now. */
    void reportAll() {
        for (LostException l : new ArrayList<>(lost)) {
            l.reportNow();
        }
    }
}
