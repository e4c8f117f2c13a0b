package dev.asyncio.reactor;

import dev.asyncio.flow.ProducerCoroutine;
import dev.asyncio.internal.ThreadLocalPropagation;
import dev.asyncio.internal.ThreadLocalSnapshot;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.ThreadLocalAccessor;
import java.util.function.Supplier;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Micrometer's context-propagation library behind {@link ReactorCoroutines#enableContextPropagation()}:
 * the values of every {@code ThreadLocalAccessor} in the global {@link ContextRegistry} (SLF4J's MDC
 * through {@code Slf4jThreadLocalAccessor}, Micrometer's current Observation, a user's own) are captured
 * and set again, for the core (into tasks and {@code toThread} work) and for Reactor (from a subscriber's
 * context into a {@code mono}/{@code flux} body, from an awaiting task into the context of the publisher it
 * subscribes to).
 *
 * <p>Loaded only once the library is known to be present, so that asyncio-reactor works without it.
 * Values missing from a snapshot are left as they are on the target thread, as with Reactor's own
 * factory ({@code clearMissing(false)}).
 */
final class ContextPropagationBridge implements Supplier<ThreadLocalSnapshot> {
    private final ContextSnapshotFactory factory = ContextSnapshotFactory.builder()
            .contextRegistry(ContextRegistry.getInstance())
            .clearMissing(false)
            .build();

    /** Makes the core carry thread-local values with this bridge; returns it for the Reactor side. */
    static ContextPropagationBridge install() {
        ContextPropagationBridge bridge = new ContextPropagationBridge();
        ThreadLocalPropagation.install(bridge);
        return bridge;
    }

    /** Whether a {@code ThreadLocalAccessor} is registered under {@code key}: its value would be set. */
    boolean hasAccessorFor(String key) {
        for (ThreadLocalAccessor<?> accessor : ContextRegistry.getInstance().getThreadLocalAccessors()) {
            if (key.equals(accessor.key())) {
                return true;
            }
        }
        return false;
    }

    /** Stops the core from carrying values, if this bridge is the one installed. */
    void uninstall() {
        if (ThreadLocalPropagation.installed() == this) {
            ThreadLocalPropagation.install(null);
        }
    }

    /** The calling thread's values, for the core: a task being created, {@code toThread} work being submitted. */
    @Override
    public ThreadLocalSnapshot get() {
        return asCoreSnapshot(factory.captureAll());
    }

    /**
     * {@code context} with the calling task's thread-local values added, for the publisher an awaiting
     * task subscribes to: downstream of it, {@code deferContextual}, {@code tap} and {@code handle} (with
     * Reactor's automatic propagation) see them.
     */
    Context withThreadLocals(Context context) {
        return factory.captureAll().updateContext(context);
    }

    /**
     * {@code body} that first sets the values of the subscribing thread (unless it runs a loop callback)
     * overlaid with those of the subscriber's Reactor context (which win), both read now, on the
     * subscribing thread: the task that runs the body may be created later, in a loop callback.
     */
    <T> ProducerCoroutine<T> restoring(ContextView subscriberContext, ProducerCoroutine<T> body) {
        // A loop callback runs on some task's thread: its values are that task's, so take the context's only.
        ThreadLocalSnapshot snapshot = asCoreSnapshot(ThreadLocalPropagation.runsLoopCallback()
                ? factory.captureFrom(subscriberContext)
                : factory.captureAll(subscriberContext));
        return sink -> ThreadLocalPropagation.callWith(snapshot, () -> {
            body.run(sink);
            return null;
        });
    }

    private static ThreadLocalSnapshot asCoreSnapshot(ContextSnapshot snapshot) {
        return () -> snapshot.setThreadLocals()::close;
    }
}
