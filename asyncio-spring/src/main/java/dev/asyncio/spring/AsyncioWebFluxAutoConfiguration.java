package dev.asyncio.spring;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/**
 * Spring Boot auto-configuration of asyncio for a reactive (WebFlux) web application; active as soon as
 * asyncio-spring is on the class path. With it, a controller may return {@code Task<T>},
 * {@code Future<T>} or {@code ReactorCoroutines.mono(() -> …)} with no other code. It provides:
 * <ul>
 *   <li>{@link AsyncioLoops} (bean {@code asyncioLoops}, unless the application defines one): a pool of
 *       {@code asyncio.loops.count} event loops ({@link Runtime#availableProcessors()} by default), in
 *       debug mode if {@code asyncio.debug=true} or {@code -Ddev.asyncio.debug=true}, closed with the
 *       context (leftover tasks cancelled and awaited, as {@code asyncio.run} does);</li>
 *   <li>the asyncio adapters ({@link SpringReactiveAdapters}) registered in every
 *       {@link ReactiveAdapterRegistry} bean, which includes the {@code webFluxAdapterRegistry} that
 *       annotated controllers use, and in {@link ReactiveAdapterRegistry#getSharedInstance()}, which
 *       functional endpoints' {@code BodyInserters} use; off with
 *       {@code asyncio.web.adapters.enabled=false};</li>
 *   <li>a guard that fails a response whose body is an asyncio {@code Future} WebFlux did not await (the
 *       adapters missing), with an {@link IllegalStateException} that says how to fix it, instead of
 *       answering 200 with the task's fields serialised;</li>
 *   <li>{@link RequestTaskNameWebFilter}: tasks submitted while serving a request are named after it,
 *       e.g. {@code "GET /items/42"}; off with {@code asyncio.web.request-task-names.enabled=false};</li>
 *   <li>{@link TimeoutErrorStatusWebFilter}: a handler failing with asyncio's {@code TimeoutError} is
 *       answered {@code 504 Gateway Timeout}; off with {@code asyncio.web.timeout-status.enabled=false};</li>
 *   <li>a watcher of the loops ({@link LoopMonitor}): a step that holds a loop longer than
 *       {@code asyncio.slow-steps.threshold} (500 ms) is logged with its task's name and the non-blocking
 *       call to use, in production too (rate-limited; off with {@code asyncio.slow-steps.enabled=false});</li>
 *   <li>with Micrometer, meters of each loop ({@link LoopMeters}: tasks, ready queue, lag, slow steps,
 *       cancelled tasks; off with {@code asyncio.metrics.enabled=false}); with Actuator, the endpoint
 *       {@code asynciotasks} ({@link AsyncioTasksEndpoint}) listing every task as {@code dumpTasks()} does;</li>
 *   <li>the pool as the loops of {@code mono}/{@code flux} coroutines subscribed outside any loop, instead
 *       of asyncio-reactor's single shared loop; off with {@code asyncio.loops.reactor-default=false}.</li>
 * </ul>
 * Every property is listed in {@link AsyncioProperties} and docs/spring.md.
 */
@AutoConfiguration(after = AsyncioContextPropagationAutoConfiguration.class)
@EnableConfigurationProperties(AsyncioProperties.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({WebFluxConfigurer.class, ReactiveAdapterRegistry.class})
public class AsyncioWebFluxAutoConfiguration {

    /** Created by Spring Boot. */
    public AsyncioWebFluxAutoConfiguration() {
    }

    /**
     * The pool of event loops, started here and closed with the application context; after the thread-local
     * propagation is set up (if it is), so that the first tasks already carry MDC values. In PORTABLE mode for
     * want of the add-opens flag, the core logs one INFO line saying how to turn the faster mode on
     * ({@code CarrierMode}, logger {@code dev.asyncio}).
     *
     * @param properties where {@code asyncio.loops.count} (default: available processors) and
     *     {@code asyncio.debug} (default {@code false}; the core's {@code -Ddev.asyncio.debug=true} too) are read
     * @param propagation the propagation set-up, made first if there is one
     * @return the started pool
     * @throws IllegalArgumentException if {@code asyncio.loops.count < 1}
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public AsyncioLoops asyncioLoops(AsyncioProperties properties, ObjectProvider<ThreadLocalPropagationSetup> propagation) {
        propagation.getIfAvailable(); // set up first, if it is configured: tasks capture thread-locals when created
        Integer count = properties.getLoops().getCount();
        boolean debug = properties.isDebug() || Boolean.getBoolean("dev.asyncio.debug");
        return new AsyncioLoops(count != null ? count : Runtime.getRuntime().availableProcessors(), debug);
    }

    /**
     * Registers the asyncio adapters in the shared registry now, and in each {@link ReactiveAdapterRegistry}
     * bean (notably {@code webFluxAdapterRegistry}) once it is initialized.
     *
     * @return the post-processor
     */
    @Bean
    @ConditionalOnProperty(name = "asyncio.web.adapters.enabled", havingValue = "true", matchIfMissing = true)
    public static BeanPostProcessor asyncioReactiveAdapterRegistrar() {
        SpringReactiveAdapters.register(ReactiveAdapterRegistry.getSharedInstance());
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof ReactiveAdapterRegistry registry) {
                    SpringReactiveAdapters.register(registry);
                }
                return bean;
            }
        };
    }

    /**
     * Adds the writer that refuses to serialise an asyncio {@code Future} as a plain object.
     *
     * @return the WebFlux configurer
     */
    @Bean
    public WebFluxConfigurer asyncioUnadaptedFutureGuard() {
        return new WebFluxConfigurer() {
            @Override
            public void configureHttpMessageCodecs(ServerCodecConfigurer configurer) {
                configurer.customCodecs().register(new UnadaptedFutureWriter());
            }
        };
    }

    /**
     * The filter that names tasks after the request they serve.
     *
     * @return the filter
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "asyncio.web.request-task-names.enabled", havingValue = "true", matchIfMissing = true)
    public RequestTaskNameWebFilter asyncioRequestTaskNameWebFilter() {
        return new RequestTaskNameWebFilter();
    }

    /**
     * The filter that answers an expired asyncio timeout with 504 Gateway Timeout.
     *
     * @return the filter
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "asyncio.web.timeout-status.enabled", havingValue = "true", matchIfMissing = true)
    public TimeoutErrorStatusWebFilter asyncioTimeoutErrorStatusWebFilter() {
        return new TimeoutErrorStatusWebFilter();
    }

    /**
     * The watcher of the pool's loops: the always-on slow-step log ({@code asyncio.slow-steps.*}) and the
     * samples of the meters ({@code asyncio.metrics.enabled}, with Micrometer on the class path); absent if
     * both are off.
     *
     * @param loops the pool
     * @param properties where {@code asyncio.slow-steps.*} and {@code asyncio.metrics.enabled} are read
     * @return the started monitor, closed with the context
     * @throws IllegalArgumentException if {@code asyncio.slow-steps.threshold} is not positive
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("${asyncio.slow-steps.enabled:true} or ${asyncio.metrics.enabled:true}")
    LoopMonitor asyncioLoopMonitor(AsyncioLoops loops, AsyncioProperties properties) {
        AsyncioProperties.SlowSteps slow = properties.getSlowSteps();
        boolean sampling = properties.getMetrics().isEnabled()
                && ClassUtils.isPresent("io.micrometer.core.instrument.MeterRegistry", getClass().getClassLoader());
        return new LoopMonitor(loops, slow.isEnabled() ? slow.getThreshold() : null, slow.getLogInterval(), sampling);
    }

    /** Micrometer meters of the pool's loops, bound by Spring Boot to the application's registries. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
    @ConditionalOnProperty(name = "asyncio.metrics.enabled", havingValue = "true", matchIfMissing = true)
    static class LoopMetersConfiguration {
        @Bean
        LoopMeters asyncioLoopMeters(LoopMonitor monitor, AsyncioProperties properties) {
            return new LoopMeters(monitor, properties.getSlowSteps().isEnabled());
        }
    }

    /** The Actuator endpoint listing the pool's tasks, when Actuator is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
        "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
    static class TasksEndpointConfiguration {
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint
        AsyncioTasksEndpoint asyncioTasksEndpoint(AsyncioLoops loops) {
            return new AsyncioTasksEndpoint(loops);
        }
    }

    /** The pool as the default loops of mono/flux coroutines, for the context's lifetime. */
    @Bean
    @ConditionalOnProperty(name = "asyncio.loops.reactor-default", havingValue = "true", matchIfMissing = true)
    ReactorDefaultLoops asyncioReactorDefaultLoops(AsyncioLoops loops) {
        return new ReactorDefaultLoops(loops);
    }
}
