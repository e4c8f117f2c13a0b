package dev.asyncio.spring;

import dev.asyncio.TimeoutError;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * A WebFlux filter that answers a request whose handler failed with asyncio's {@link TimeoutError} (an
 * {@code Asyncio.timeout} or {@code waitFor} that expired, e.g. around a call to another service) with
 * {@code 504 Gateway Timeout} instead of a bare 500: the error becomes a {@link ResponseStatusException}
 * whose reason is the timeout's message ("Timed out after 200 ms …") and whose cause is the error, so
 * Spring Boot's error handling renders it as for any other status. Only a {@code TimeoutError} that
 * reaches the response is mapped; one the handler catches is not seen here.
 *
 * <p>The asyncio-spring auto-configuration registers it (property {@code asyncio.web.timeout-status.enabled},
 * default {@code true}). It runs early ({@link #ORDER}) so that errors from later filters are mapped too.
 * Thread-safe and stateless.
 */
public final class TimeoutErrorStatusWebFilter implements WebFilter, Ordered {
    /** The filter's order: {@link Ordered#HIGHEST_PRECEDENCE} + 90, just outside {@link RequestTaskNameWebFilter}. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 90;

    /** Creates the filter. */
    public TimeoutErrorStatusWebFilter() {
    }

    /**
     * Serves the exchange, mapping a {@link TimeoutError} from the rest of the chain to a
     * {@link ResponseStatusException} with {@link HttpStatus#GATEWAY_TIMEOUT}; on the thread that signals
     * the error.
     *
     * @param exchange the exchange
     * @param chain the rest of the chain
     * @return the chain's completion, with the error mapped
     */
    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return chain.filter(exchange).onErrorMap(TimeoutError.class,
                e -> new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT, e.getMessage(), e));
    }

    /** @return {@link #ORDER} */
    @Override
    public int getOrder() {
        return ORDER;
    }
}
