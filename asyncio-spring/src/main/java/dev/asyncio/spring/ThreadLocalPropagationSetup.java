package dev.asyncio.spring;

import dev.asyncio.reactor.ReactorCoroutines;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import java.util.ArrayList;
import java.util.List;
import org.springframework.util.ClassUtils;

/**
 * What {@link AsyncioContextPropagationAutoConfiguration} does at start-up, as a bean: registers an
 * {@link MdcKeyAccessor} for each {@code asyncio.context-propagation.mdc-keys} entry that has no accessor
 * yet, then turns on {@link ReactorCoroutines#enableContextPropagation()}, so the application needs neither
 * a static call in {@code main} nor one in each {@code @SpringBootTest}. Both are process-wide and
 * idempotent; closing the context leaves them on (another context of the JVM, e.g. a second test
 * configuration, may rely on them).
 */
public final class ThreadLocalPropagationSetup {
    private final List<String> registeredMdcKeys;

    /**
     * Registers the MDC keys and turns propagation on; on the thread creating the application context.
     *
     * @param mdcKeys the Reactor context keys to put in the MDC
     * @param registry where to register them, normally {@link ContextRegistry#getInstance()}
     * @throws IllegalStateException if there are MDC keys but SLF4J is not on the class path
     */
    public ThreadLocalPropagationSetup(List<String> mdcKeys, ContextRegistry registry) {
        if (!mdcKeys.isEmpty() && !ClassUtils.isPresent("org.slf4j.MDC", ThreadLocalPropagationSetup.class.getClassLoader())) {
            throw new IllegalStateException("asyncio.context-propagation.mdc-keys=" + mdcKeys + " puts values in SLF4J's "
                    + "MDC, but SLF4J is not on the class path: add org.slf4j:slf4j-api (Spring Boot's "
                    + "spring-boot-starter-logging brings it), or remove the property");
        }
        List<String> registered = new ArrayList<>();
        for (String key : mdcKeys) {
            if (!hasAccessor(registry, key)) {
                registry.registerThreadLocalAccessor(new MdcKeyAccessor(key));
                registered.add(key);
            }
        }
        this.registeredMdcKeys = List.copyOf(registered);
        ReactorCoroutines.enableContextPropagation();
    }

    private static boolean hasAccessor(ContextRegistry registry, String key) {
        for (ThreadLocalAccessor<?> accessor : registry.getThreadLocalAccessors()) {
            if (key.equals(accessor.key())) {
                return true;
            }
        }
        return false;
    }

    /** @return the MDC keys this set-up registered an accessor for (those with one already are left out) */
    public List<String> registeredMdcKeys() {
        return registeredMdcKeys;
    }

    @Override
    public String toString() {
        return "ThreadLocalPropagationSetup[mdcKeys=" + registeredMdcKeys + "]";
    }
}
