package dev.asyncio.spring;

import dev.asyncio.Context;
import dev.asyncio.reactor.ReactorContext;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A WebFlux filter that names the asyncio tasks started while serving a request after the request, e.g.
 * {@code "GET /items/42"} (method and path, without the query); see {@link RequestTaskNames} for how the
 * name travels. The asyncio-spring auto-configuration registers it (property
 * {@code asyncio.web.request-task-names.enabled}, default {@code true}); without Boot, declare it as a
 * bean of the WebFlux application. It runs early ({@link #ORDER}) so that the filters after it are
 * covered too.
 *
 * <p>Thread-safe; it keeps no per-request state of its own.
 */
public final class RequestTaskNameWebFilter implements WebFilter, Ordered {
    /** The filter's order: {@link Ordered#HIGHEST_PRECEDENCE} + 100. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 100;

    /** Creates the filter. */
    public RequestTaskNameWebFilter() {
    }

    /**
     * The task name of a request: its method, a space, and its path without the query string.
     *
     * @param request the request
     * @return e.g. {@code "GET /items/42"}
     */
    public static String nameOf(ServerHttpRequest request) {
        return request.getMethod().name() + " " + request.getPath().value();
    }

    /**
     * Serves the exchange with the request's name set: in the asyncio context of the thread while the
     * rest of the chain is subscribed and while the request body delivers its signals, and in the
     * response's Reactor context under {@link ReactorContext#TASK_NAME_KEY}.
     *
     * @param exchange the exchange
     * @param chain the rest of the chain
     * @return the chain's completion
     */
    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String name = nameOf(request);
        Context scope = RequestTaskNames.contextNamed(name);
        ServerWebExchange named = exchange.mutate().request(new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return new ScopedFlux<>(super.getBody(), scope);
            }
        }).build();
        return new ScopedMono<>(Mono.defer(() -> chain.filter(named)), scope)
                .contextWrite(ctx -> ctx.put(ReactorContext.TASK_NAME_KEY, name));
    }

    /** @return {@link #ORDER} */
    @Override
    public int getOrder() {
        return ORDER;
    }
}
