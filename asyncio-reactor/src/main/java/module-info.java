/**
 * asyncio for Java meets Project Reactor: coroutines as {@code Mono}/{@code Flux}, publishers awaited
 * inside coroutines, the event loop as a Reactor {@code Scheduler}, Reactor {@code Context} seen as a
 * {@code ContextVar}, and {@code StepVerifier.withVirtualTime} driving coroutine sleeps. Spring is not a
 * dependency: its {@code ReactiveAdapterRegistry} registration lives in asyncio-spring.
 */
module dev.asyncio.reactor {
    requires transitive dev.asyncio;
    requires transitive reactor.core;
    requires transitive org.reactivestreams;
    requires static reactor.test;
    requires static context.propagation;

    exports dev.asyncio.reactor;
    // The test kit's one clock finds this bridge through the ServiceLoader (dev.asyncio.test uses it).
    provides dev.asyncio.internal.OneClockBridge with dev.asyncio.reactor.internal.ReactorOneClockBridge;
}
