package dev.asyncio;

import java.util.function.Consumer;

/** asyncio's {@code shield}: an outer future that follows an inner one, and whose cancellation stays outside. */
final class Shield {
    private Shield() {
    }

    static <T> Future<T> of(Future<T> inner) {
        if (inner.isDone()) {
            return inner;
        }
        Future<T> outer = new Future<>(inner.loop);
        Task<?> caller = inner.loop.engine.currentTask; // awaits inner until either is done (asyncio 3.14's call graph)
        if (caller != null) {
            CallGraph.addAwaitedBy(inner, caller);
        }
        Consumer<Future<T>> innerDone = f -> {
            if (caller != null) {
                CallGraph.discardAwaitedBy(f, caller);
            }
            if (outer.isCancelled()) {
                // asyncio marks the inner exception retrieved here; we leave it unretrieved so that an
                // error no one looks at is still reported as lost (docs/design.md §4: never lose an error).
                return;
            }
            if (f.isCancelled()) {
                outer.cancelPlain(null);
            } else if (f.rawException() != null) {
                outer.fail(f.exception());
            } else {
                outer.complete(f.rawResult());
            }
        };
        inner.addDoneCallback(innerDone);
        outer.addDoneCallback(o -> {
            if (!inner.isDone()) {
                inner.removeDoneCallback(innerDone);
                if (caller != null) {
                    CallGraph.discardAwaitedBy(inner, caller);
                }
            }
        });
        return outer;
    }
}
