package dev.asyncio.spring;

import dev.asyncio.Future;
import dev.asyncio.reactor.ReactorCoroutines;
import java.util.Objects;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.ReactiveTypeDescriptor;

/**
 * Registers asyncio's {@link Future} (and so {@link dev.asyncio.Task}) in Spring's
 * {@link ReactiveAdapterRegistry}, as a single optional value: a WebFlux handler or controller can
 * then return a {@code Task<T>} or {@code Future<T>}, and a client that disconnects cancels it.
 *
 * <pre>{@code
 * SpringReactiveAdapters.register(ReactiveAdapterRegistry.getSharedInstance());
 * // in a handler: ServerResponse.ok().body(loop-created task, String.class)
 * }</pre>
 * With {@code @EnableWebFlux}, register in the registry the configuration uses (override
 * {@code webFluxAdapterRegistry()} or register in the shared instance if that is the one in use).
 *
 * <p>{@link AsyncioWebFluxAutoConfiguration} calls it for every registry of a Boot application; call it
 * yourself only without Boot. To a publisher: as {@link ReactorCoroutines#toMono(Future)} (a
 * subscription's cancel cancels the future); from a publisher: {@link ReactorCoroutines#toFuture(org.reactivestreams.Publisher)}
 * (the running loop if any, else the default loop, see {@link ReactorCoroutines#setDefaultLoopSupplier}).
 */
public final class SpringReactiveAdapters {
    private SpringReactiveAdapters() {
    }

    /**
     * Registers {@link Future} in {@code registry}. Idempotent in effect (a second registration
     * replaces the first). Thread-safe as the registry is.
     *
     * @param registry the registry, e.g. {@link ReactiveAdapterRegistry#getSharedInstance()}
     * @return the registry, for chaining
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static ReactiveAdapterRegistry register(ReactiveAdapterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        ReactorCoroutines.installBlockingGuard();
        registry.registerReactiveType(
                ReactiveTypeDescriptor.singleOptionalValue(Future.class, () -> {
                    throw new UnsupportedOperationException("an empty asyncio Future needs a loop: create it with loop.createFuture()");
                }),
                source -> ReactorCoroutines.toMono((Future) source),
                ReactorCoroutines::toFuture);
        return registry;
    }
}
