package dev.asyncio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * asyncio's {@code gather}: a future of the children's results in argument order. Failures do not
 * cancel siblings; cancelling the gathering future cancels every child.
 */
final class Gather<T> extends Future<List<T>> {
    private final List<Future<?>> children;
    private final List<Future<?>> distinct;
    private final boolean returnExceptions;
    private int finished;
    private boolean cancelRequested;
    /** The task that called gather, awaited-by each child until it is done (asyncio 3.14's call graph). */
    private final Task<?> caller;

    private Gather(EventLoop loop, List<Future<?>> children, List<Future<?>> distinct, boolean returnExceptions) {
        super(loop);
        this.caller = loop.engine.currentTask;
        this.children = children;
        this.distinct = distinct;
        this.returnExceptions = returnExceptions;
    }

    static <T> Future<List<T>> of(List<? extends Future<?>> children, boolean returnExceptions) {
        if (children.isEmpty()) {
            Future<List<T>> done = new Future<>(Asyncio.getEventLoop());
            done.complete(Collections.emptyList());
            return done;
        }
        EventLoop loop = children.get(0).loop;
        // Duplicates are awaited once (asyncio). A mark per future finds them without hashing: with a
        // million children an identity hash table was a third of gather's cost.
        Object mark = new Object();
        List<Future<?>> distinct = new ArrayList<>(children.size());
        for (Future<?> f : children) {
            if (f.loop != loop) {
                throw new IllegalArgumentException("gather() got futures of different loops: " + loop + " and " + f.loop);
            }
            if (f.gatherMark != mark) {
                f.gatherMark = mark;
                distinct.add(f);
            }
        }
        Gather<T> outer = new Gather<>(loop, new ArrayList<>(children), distinct, returnExceptions);
        for (Future<?> f : distinct) {
            f.addDoneCallback(outer::childDone);
            if (outer.caller != null) {
                CallGraph.addAwaitedBy(f, outer.caller);
            }
        }
        return outer;
    }

    /** asyncio's {@code _done_callback} in {@code gather}. */
    private void childDone(Future<?> child) {
        finished++;
        if (caller != null) {
            CallGraph.discardAwaitedBy(child, caller);
        }
        if (isDone()) {
            if (!child.isCancelled()) {
                child.exception();
            }
            return;
        }
        if (!returnExceptions) {
            if (child.isCancelled()) {
                fail(child.cancelledError());
                return;
            }
            Throwable e = child.exception();
            if (e != null) {
                fail(e);
                return;
            }
        }
        if (finished == distinct.size()) {
            List<Object> results = new ArrayList<>(children.size());
            for (Future<?> f : children) {
                if (f.isCancelled()) {
                    results.add(f.cancelledError());
                } else {
                    Throwable e = f.exception();
                    results.add(e != null ? e : f.rawResult());
                }
            }
            if (cancelRequested) {
                fail(child.cancelledError());
            } else {
                @SuppressWarnings("unchecked")
                List<T> typed = (List<T>) Collections.unmodifiableList(results);
                complete(typed);
            }
        }
    }

    /** Cancels every child that is not done; the gathering future ends when they have all finished. */
    @Override
    public boolean cancel(String message) {
        loop.engine.checkThread("Future.cancel");
        if (isDone()) {
            return false;
        }
        boolean any = false;
        for (Future<?> f : distinct) {
            if (f.cancel(message)) {
                any = true;
            }
        }
        if (any) {
            cancelRequested = true;
        }
        return any;
    }

    @Override
    public String toString() {
        return "<_GatheringFuture " + stateName() + " of " + children.size() + ">";
    }
}
