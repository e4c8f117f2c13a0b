package dev.asyncio.spring;

import dev.asyncio.Context;
import dev.asyncio.ContextVar;
import dev.asyncio.reactor.ReactorContext;

/**
 * The name of the request being served, e.g. {@code "GET /items/42"}, which tasks submitted while serving
 * it take as their name ({@link AsyncioLoops#submit(dev.asyncio.Coroutine)}, and {@code mono}/{@code flux}
 * coroutines returned by a handler).
 *
 * <p>How it travels: {@link RequestTaskNameWebFilter} (registered by the auto-configuration) records the
 * method and path of each request and makes it visible in two ways.
 * <ul>
 *   <li>As the asyncio {@link ContextVar} {@link #variable()}, set on the thread that runs the request's
 *       WebFlux chain while that chain is subscribed and while the request body's signals are delivered:
 *       this covers the moments a controller method is invoked, before or after its body was read. A task
 *       created then (by {@link AsyncioLoops#submit} or {@code EventLoop.submit}) copies the caller's
 *       asyncio context, so the coroutine, and the tasks it creates, see the name too.</li>
 *   <li>In the Reactor {@code Context} of the response, under {@link ReactorContext#TASK_NAME_KEY}: a
 *       {@code mono}/{@code flux} coroutine subscribed for the response runs as a task of that name, and
 *       its {@link ReactorContext#current()} holds it.</li>
 * </ul>
 * Code that runs later on another thread of its own choosing (e.g. a {@code Mono.delay} callback) sees
 * neither; pass the name explicitly there ({@link AsyncioLoops#submit(dev.asyncio.Coroutine, String)}).
 */
public final class RequestTaskNames {
    private static final ContextVar<String> VAR = new ContextVar<>("asyncio.spring.requestTaskName");

    private RequestTaskNames() {
    }

    /**
     * The name of the request being served by the calling thread or coroutine. Callable from any thread.
     *
     * @return e.g. {@code "GET /items/42"}: the {@link #variable()}'s value in the current asyncio context,
     *     else the {@link ReactorContext#TASK_NAME_KEY} of the current coroutine's Reactor context, else
     *     {@code null} (not serving a request, or the filter is not registered)
     */
    public static String current() {
        String name = VAR.get(null);
        if (name != null) {
            return name;
        }
        Object fromReactor = ReactorContext.current().getOrDefault(ReactorContext.TASK_NAME_KEY, null);
        return fromReactor != null ? fromReactor.toString() : null;
    }

    /**
     * @return the context variable that holds the request's name while it is served (set by
     *     {@link RequestTaskNameWebFilter}; a test or a non-WebFlux server may set it too)
     */
    public static ContextVar<String> variable() {
        return VAR;
    }

    /** A copy of the caller's asyncio context in which {@link #variable()} is {@code name}. */
    static Context contextNamed(String name) {
        Context context = Context.copyCurrent();
        context.run(() -> {
            VAR.set(name);
        });
        return context;
    }
}
