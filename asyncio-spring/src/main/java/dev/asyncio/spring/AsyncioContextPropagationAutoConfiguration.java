package dev.asyncio.spring;

import io.micrometer.context.ContextRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot auto-configuration that makes thread-locals (SLF4J's MDC, Micrometer's current Observation and
 * with it Micrometer Tracing's trace and span ids, any registered {@code ThreadLocalAccessor}) follow
 * coroutines: active when Micrometer's {@code io.micrometer:context-propagation} is on the class path (Boot
 * applications with Actuator or Micrometer Tracing have it) and {@code asyncio.context-propagation.enabled}
 * is not {@code false}; in any Boot application, and in every {@code @SpringBootTest} alike. See
 * {@link ThreadLocalPropagationSetup} for what it does, docs/spring.md for the whole picture.
 *
 * <p>Reactor's own operators are Boot's business: {@code spring.reactor.context-propagation=auto} (Boot's
 * property) restores thread-locals in every operator, which is what makes a {@code Task} submitted from a
 * controller method see the request's MDC; a {@code mono}/{@code flux} coroutine reads its subscriber's
 * context directly and needs only this.
 */
@AutoConfiguration
@ConditionalOnClass(ContextRegistry.class)
@ConditionalOnProperty(name = "asyncio.context-propagation.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(AsyncioProperties.class)
public class AsyncioContextPropagationAutoConfiguration {

    /** Created by Spring Boot. */
    public AsyncioContextPropagationAutoConfiguration() {
    }

    /**
     * Registers the MDC keys and turns the propagation on.
     *
     * @param properties where {@code asyncio.context-propagation.mdc-keys} is read
     * @return the set-up, a marker that it ran
     */
    @Bean
    @ConditionalOnMissingBean
    public ThreadLocalPropagationSetup asyncioThreadLocalPropagation(AsyncioProperties properties) {
        return new ThreadLocalPropagationSetup(properties.getContextPropagation().getMdcKeys(), ContextRegistry.getInstance());
    }
}
