package dev.asyncio.reactor;

import dev.asyncio.internal.LoopInternals;
import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * A publisher's first value as an asyncio {@link Future} on a given loop, usable from any thread (the
 * way back for Spring's {@code ReactiveAdapter.fromPublisher}): the future completes with the first
 * element ({@code null} if empty) or the error; cancelling the future cancels the subscription.
 */
final class PublisherFuture {
    private PublisherFuture() {
    }

    static <T> Future<T> of(Publisher<T> publisher, EventLoop loop) {
        Future<T> future = new Future<>(loop);
        Runnable subscribe = () -> {
            Disposable d = Mono.from(publisher).subscribe(
                    v -> onLoop(loop, () -> {
                        if (!future.isDone()) {
                            future.setResult(v);
                        }
                    }),
                    e -> onLoop(loop, () -> {
                        if (!future.isDone()) {
                            future.setException(e);
                        }
                    }),
                    () -> onLoop(loop, () -> {
                        if (!future.isDone()) {
                            future.setResult(null);
                        }
                    }));
            future.addDoneCallback(f -> {
                if (f.isCancelled()) {
                    d.dispose();
                }
            });
        };
        onLoop(loop, subscribe);
        return future;
    }

    private static void onLoop(EventLoop loop, Runnable action) {
        if (LoopInternals.isOnTurn(loop)) {
            action.run();
        } else {
            loop.callSoonThreadsafe(action);
        }
    }
}
