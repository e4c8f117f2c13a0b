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
 * <p>Properties:
 * <table>
 *   <caption>asyncio-spring properties</caption>
 *   <tr><th>property</th><th>default</th><th>effect</th></tr>
 *   <tr><td>{@code asyncio.loops.count}</td><td>available processors</td><td>how many loops the pool runs</td></tr>
 *   <tr><td>{@code asyncio.debug}</td><td>{@code false}</td><td>the loops' debug mode
 *       ({@code -Ddev.asyncio.debug=true} turns it on too)</td></tr>
 *   <tr><td>{@code asyncio.web.adapters.enabled}</td><td>{@code true}</td><td>register {@code Future}/{@code Task}
 *       in WebFlux's {@code ReactiveAdapterRegistry}</td></tr>
 *   <tr><td>{@code asyncio.web.request-task-names.enabled}</td><td>{@code true}</td><td>name tasks after their
 *       request</td></tr>
 *   <tr><td>{@code asyncio.loops.reactor-default}</td><td>{@code true}</td><td>run {@code mono}/{@code flux}
 *       coroutines subscribed outside any loop on the pool</td></tr>
 * </table>
 *
 * <p>A handler's coroutine may block its loop (a {@code Thread.sleep}, a blocking driver): that stalls the
 * other requests of that loop only, and debug mode names the task that did it. Prefer
 * {@code Asyncio.toThread(...)} for blocking calls.
 */
package dev.asyncio.spring;
