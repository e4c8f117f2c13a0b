/**
 * asyncio for Java in Spring Boot WebFlux applications: an auto-configuration that lets controllers return
 * {@code Task<T>}, {@code Future<T>} and coroutine {@code Mono}s, served by a pool of event loops
 * ({@link dev.asyncio.spring.AsyncioLoops}), with tasks named after their request. Spring Boot and
 * WebFlux are optional dependencies: the application brings them.
 */
module dev.asyncio.spring {
    requires transitive dev.asyncio;
    requires transitive dev.asyncio.reactor;
    requires static spring.boot;
    requires static spring.boot.autoconfigure;
    requires static spring.beans;
    requires static spring.context;
    requires static spring.core;
    requires static spring.web;
    requires static spring.webflux;
    requires static context.propagation;
    requires static org.slf4j;
    requires static micrometer.core;
    requires static spring.boot.actuator;
    requires static spring.boot.actuator.autoconfigure;

    exports dev.asyncio.spring;
    // The core's "no running event loop" errors ask this module what to advise on a WebFlux request thread.
    provides dev.asyncio.internal.NoLoopAdvice with dev.asyncio.spring.internal.RequestThreadAdvice;
    // Spring instantiates the auto-configuration and its beans reflectively.
    opens dev.asyncio.spring to spring.core, spring.beans, spring.context;
}
