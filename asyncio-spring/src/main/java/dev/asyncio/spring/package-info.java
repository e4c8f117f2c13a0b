/**
 * asyncio in Spring Boot WebFlux applications. Add {@code dev.asyncio:asyncio-spring} to an application
 * that uses {@code spring-boot-starter-webflux}, and {@link dev.asyncio.spring.AsyncioWebFluxAutoConfiguration}
 * does the rest: controllers may return {@code Task<T>}, {@code Future<T>} and
 * {@code ReactorCoroutines.mono(() -> …)}; a client disconnect cancels the task; tasks run on a pool of
 * event loops ({@link dev.asyncio.spring.AsyncioLoops}, one per core by default) instead of a single loop,
 * and are named after the request they serve ({@link dev.asyncio.spring.RequestTaskNames}).
 *
 * <pre>{@code
 * @RestController
 * class Items {
 *     private final AsyncioLoops loops;
 *     Items(AsyncioLoops loops) { this.loops = loops; }
 *
 *     @GetMapping("/items/{id}")
 *     Task<Item> item(@PathVariable("id") long id) {
 *         return loops.submit(() -> repository.find(id));   // a coroutine: it may sleep, await, gather
 *     }
 * }
 * }</pre>
 *
 * <p>Properties: every {@code asyncio.*} property is listed, with its default, in {@link
 * dev.asyncio.spring.AsyncioProperties} and in docs/spring.md (the module's guide: set-up, context
 * propagation, testing, observing, production notes); the jar's configuration metadata lets IDEs complete them.
 *
 * <p>A handler's coroutine may block its loop (a {@code Thread.sleep}, a blocking driver): that stalls the
 * other requests of that loop only, and the slow-step log (on by default, {@code asyncio.slow-steps.*}) names
 * the task that did it and the call to use instead. Prefer {@code Asyncio.toThread(...)} for blocking calls.
 */
package dev.asyncio.spring;
