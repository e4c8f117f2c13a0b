package dev.asyncio.spring;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Netty resources of one test application context only: with Boot's default (Reactor Netty's global
 * resources), closing one of the tests' contexts would dispose the event loops of the others' servers.
 */
@Configuration(proxyBeanMethods = false)
class LocalNettyResources {
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        return factory;
    }
}
