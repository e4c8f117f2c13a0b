package dev.asyncio.spring;

import dev.asyncio.internal.LoopInternals;
import dev.asyncio.Future;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.springframework.core.ResolvableType;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.http.codec.HttpMessageWriter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The guard against a {@code Task}/{@code Future} that WebFlux would write as a plain object: when the
 * asyncio adapters are not registered in the {@code ReactiveAdapterRegistry} WebFlux uses, a handler's
 * {@code Task<T>} is not awaited but handed to the message writers, and a JSON encoder would answer 200
 * OK with the task's getters serialised. This writer claims every asyncio {@link Future} (and nothing
 * else, so it is one of the "typed" writers WebFlux consults before the JSON encoder, whatever the JSON
 * library) and fails the response with an {@link IllegalStateException} that says what to do; the future
 * is cancelled, since nobody will read its result. With the adapters registered it is never consulted for
 * a returned task: WebFlux awaits the task and writes its value.
 */
final class UnadaptedFutureWriter implements HttpMessageWriter<Object> {

    @Override
    public List<MediaType> getWritableMediaTypes() {
        return List.of(MediaType.ALL);
    }

    @Override
    public boolean canWrite(ResolvableType elementType, MediaType mediaType) {
        return Future.class.isAssignableFrom(elementType.toClass());
    }

    @Override
    public Mono<Void> write(Publisher<?> inputStream, ResolvableType elementType, MediaType mediaType,
            ReactiveHttpOutputMessage message, Map<String, Object> hints) {
        return Flux.from(inputStream)
                .doOnNext(value -> cancel((Future<?>) value))
                .then(Mono.error(() -> new IllegalStateException(message(elementType))));
    }

    static String message(ResolvableType elementType) {
        return "A WebFlux handler returned an asyncio " + elementType.toClass().getSimpleName()
                + ", but the ReactiveAdapterRegistry that WebFlux uses does not know asyncio futures, so the "
                + "task was not awaited and its fields would have been written as the response body; it has been "
                + "cancelled. Add asyncio-spring to a Spring Boot application and leave "
                + "asyncio.web.adapters.enabled=true (the default), or, without Boot, call "
                + "dev.asyncio.spring.SpringReactiveAdapters.register(registry) on the webFluxAdapterRegistry bean.";
    }

    private static void cancel(Future<?> future) {
        if (LoopInternals.isOnTurn(future.getLoop())) {
            future.cancel();
            return;
        }
        try {
            future.getLoop().callSoonThreadsafe(future::cancel);
        } catch (IllegalStateException closed) {
            // The loop is closed: the future's task was unwound already.
        }
    }
}
