/**
 * asyncio for Java meets Project Reactor (after kotlinx-coroutines-reactor):
 * {@link dev.asyncio.reactor.ReactorCoroutines} turns coroutines into cold {@code Mono}/{@code Flux}
 * ({@code mono}, {@code flux}), awaits publishers inside coroutines ({@code await}, {@code awaitFirst},
 * {@code awaitLast}, {@code awaitSingle}, {@code iterate}), converts futures and tasks both ways and offers
 * an event loop as a Reactor {@code Scheduler}; {@link dev.asyncio.reactor.ReactorContext} shows the
 * subscriber's Reactor {@code Context} as a {@code ContextVar}; {@code StepVerifier.withVirtualTime}
 * drives coroutine sleeps. (Spring WebFlux handlers returning a {@code Task}: asyncio-spring.)
 *
 * <p>On a loop's turn (inside a coroutine or a loop callback) Reactor's blocking operators
 * ({@code block()}, {@code blockFirst()}, {@code blockLast()}, {@code toIterable()}) are refused with an
 * {@link java.lang.IllegalStateException} that names the suspending call to use instead; see
 * {@link dev.asyncio.reactor.ReactorCoroutines#installBlockingGuard()}.
 */
package dev.asyncio.reactor;
