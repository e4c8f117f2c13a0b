package dev.asyncio.reactor;

import dev.asyncio.EventLoop;
import dev.asyncio.Future;
import dev.asyncio.flow.CoroutinePublisher;
import dev.asyncio.internal.LoopInternals;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * An asyncio {@link Future} (or {@code Task}) as a {@code Mono}: the future's result (empty if
 * {@code null}), its exception, or a {@link dev.asyncio.CancelledError} if it was cancelled.
 * Cancelling a subscription cancels the future; the Mono owns it.
 *
 * <p>Subscribing from the future's loop registers a done callback directly; from another thread (a
 * Netty thread subscribing to a handler's {@code Task}) the registration is taken by the future's
 * completion without waking the loop, and the cancel goes through {@code callSoonThreadsafe}.
 */
final class FutureMono {
    private FutureMono() {
    }

    static <T> Mono<T> of(Future<T> future) {
        return Mono.create(sink -> {
            EventLoop loop = future.getLoop();
            Consumer<Future<T>> relay = f -> complete(f, sink);
            sink.onCancel(() -> onLoop(loop, () -> {
                future.removeDoneCallback(relay);
                future.cancel(CoroutinePublisher.CANCELLED_BY_SUBSCRIBER);
            }));
            if (future.isDone()) {
                complete(future, sink);
            } else {
                LoopInternals.addDoneCallbackFromAnyThread(future, relay);
            }
        });
    }

    private static <T> void complete(Future<T> f, MonoSink<T> sink) {
        if (f.isCancelled()) {
            try {
                f.result();
            } catch (RuntimeException cancelled) {
                sink.error(cancelled);
            }
            return;
        }
        Throwable e = f.exception();
        if (e != null) {
            sink.error(e);
        } else {
            sink.success(f.result());
        }
    }

    private static void onLoop(EventLoop loop, Runnable action) {
        if (LoopInternals.isOnTurn(loop)) {
            action.run();
        } else if (!loop.isClosed()) {
            try {
                loop.callSoonThreadsafe(action);
            } catch (IllegalStateException closed) {
                // Closing the loop cancelled the future's task already.
            }
        }
    }
}
