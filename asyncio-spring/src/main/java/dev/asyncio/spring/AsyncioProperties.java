package dev.asyncio.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Every {@code asyncio.*} property of asyncio-spring, bound by Spring Boot (so they appear, with their
 * defaults and descriptions, in the IDE's completion from the generated configuration metadata). Set them
 * as any Boot property: {@code application.properties}, {@code -Dasyncio.debug=true}, the environment
 * variable {@code ASYNCIO_DEBUG=true}. The full list with examples is in docs/spring.md.
 *
 * <p>Mutable JavaBean, as Boot binds it; read on the thread that creates the application context.
 */
@ConfigurationProperties("asyncio")
public class AsyncioProperties {
    /**
     * Debug mode of the pool's loops: a step that holds its loop longer than the slow-callback duration is
     * reported with the task's name and stack, and unretrieved exceptions carry where their task was
     * created. The one switch: the core's {@code -Ddev.asyncio.debug=true} turns it on as well.
     */
    private boolean debug;

    private final Loops loops = new Loops();
    private final Web web = new Web();
    private final ContextPropagation contextPropagation = new ContextPropagation();
    private final SlowSteps slowSteps = new SlowSteps();
    private final Metrics metrics = new Metrics();

    /** Created by Spring Boot (or a test), with every default. */
    public AsyncioProperties() {
    }

    /** @return {@code asyncio.debug} */
    public boolean isDebug() {
        return debug;
    }

    /** @param debug {@code asyncio.debug} */
    public void setDebug(boolean debug) {
        this.debug = debug;
    }

    /** @return {@code asyncio.loops.*} */
    public Loops getLoops() {
        return loops;
    }

    /** @return {@code asyncio.web.*} */
    public Web getWeb() {
        return web;
    }

    /** @return {@code asyncio.context-propagation.*} */
    public ContextPropagation getContextPropagation() {
        return contextPropagation;
    }

    /** @return {@code asyncio.slow-steps.*} */
    public SlowSteps getSlowSteps() {
        return slowSteps;
    }

    /** @return {@code asyncio.metrics.*} */
    public Metrics getMetrics() {
        return metrics;
    }

    /** {@code asyncio.loops.*}: the pool of event loops ({@link AsyncioLoops}). */
    public static class Loops {
        /** How many event loops the pool runs; default: the number of available processors. */
        private Integer count;

        /** Whether mono/flux coroutines subscribed outside any loop run on the pool (else on asyncio-reactor's shared loop). */
        private boolean reactorDefault = true;

        /** Created by Spring Boot. */
        public Loops() {
        }

        /** @return {@code asyncio.loops.count}, or {@code null} for the number of available processors */
        public Integer getCount() {
            return count;
        }

        /** @param count {@code asyncio.loops.count} */
        public void setCount(Integer count) {
            this.count = count;
        }

        /** @return {@code asyncio.loops.reactor-default} */
        public boolean isReactorDefault() {
            return reactorDefault;
        }

        /** @param reactorDefault {@code asyncio.loops.reactor-default} */
        public void setReactorDefault(boolean reactorDefault) {
            this.reactorDefault = reactorDefault;
        }
    }

    /** {@code asyncio.web.*}: what the WebFlux integration installs. */
    public static class Web {
        private final Switch adapters = new Switch();
        private final Switch requestTaskNames = new Switch();
        private final Switch timeoutStatus = new Switch();

        /** Created by Spring Boot. */
        public Web() {
        }

        /**
         * @return {@code asyncio.web.adapters.*}: Task/Future registered in WebFlux's ReactiveAdapterRegistry, so
         *     handlers may return them
         */
        public Switch getAdapters() {
            return adapters;
        }

        /** @return {@code asyncio.web.request-task-names.*}: tasks named after their request, e.g. "GET /items/42" */
        public Switch getRequestTaskNames() {
            return requestTaskNames;
        }

        /** @return {@code asyncio.web.timeout-status.*}: an asyncio TimeoutError answered 504 Gateway Timeout */
        public Switch getTimeoutStatus() {
            return timeoutStatus;
        }
    }

    /** A feature that is on unless turned off. */
    public static class Switch {
        /** Whether the feature is on. */
        private boolean enabled = true;

        /** Created by Spring Boot. */
        public Switch() {
        }

        /** @return whether the feature is on */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the feature is on */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /** {@code asyncio.context-propagation.*}: thread-locals (SLF4J's MDC, tracing) following coroutines. */
    public static class ContextPropagation {
        /**
         * Whether thread-local values registered with Micrometer's context-propagation library follow tasks,
         * toThread work and mono/flux bodies (ReactorCoroutines.enableContextPropagation()); needs
         * io.micrometer:context-propagation on the class path.
         */
        private boolean enabled = true;

        /**
         * Reactor context keys whose values are put in SLF4J's MDC under the same key, inside coroutines (e.g.
         * "requestId" for a WebFilter's contextWrite(ctx -> ctx.put("requestId", id))).
         */
        private List<String> mdcKeys = new ArrayList<>();

        /** Created by Spring Boot. */
        public ContextPropagation() {
        }

        /** @return {@code asyncio.context-propagation.enabled} */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled {@code asyncio.context-propagation.enabled} */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return {@code asyncio.context-propagation.mdc-keys} (mutable, as Boot binds it) */
        public List<String> getMdcKeys() {
            return mdcKeys;
        }

        /** @param mdcKeys {@code asyncio.context-propagation.mdc-keys} */
        public void setMdcKeys(List<String> mdcKeys) {
            this.mdcKeys = mdcKeys;
        }
    }

    /** {@code asyncio.slow-steps.*}: the always-on report of a step that holds a pool loop too long. */
    public static class SlowSteps {
        /** Whether a step holding a pool loop longer than the threshold is logged (outside debug mode too). */
        private boolean enabled = true;

        /** How long one step may hold its loop before it is reported. */
        private Duration threshold = Duration.ofMillis(500);

        /** At most one report per loop per this interval; the others are counted and summed up in the next. */
        private Duration logInterval = Duration.ofSeconds(10);

        /** Created by Spring Boot. */
        public SlowSteps() {
        }

        /** @return {@code asyncio.slow-steps.enabled} */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled {@code asyncio.slow-steps.enabled} */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return {@code asyncio.slow-steps.threshold} */
        public Duration getThreshold() {
            return threshold;
        }

        /** @param threshold {@code asyncio.slow-steps.threshold} */
        public void setThreshold(Duration threshold) {
            this.threshold = threshold;
        }

        /** @return {@code asyncio.slow-steps.log-interval} */
        public Duration getLogInterval() {
            return logInterval;
        }

        /** @param logInterval {@code asyncio.slow-steps.log-interval} */
        public void setLogInterval(Duration logInterval) {
            this.logInterval = logInterval;
        }
    }

    /** {@code asyncio.metrics.*}: Micrometer meters of the pool's loops. */
    public static class Metrics {
        /** Whether the pool's loops are measured (with Micrometer and a MeterRegistry in the application). */
        private boolean enabled = true;

        /** Created by Spring Boot. */
        public Metrics() {
        }

        /** @return {@code asyncio.metrics.enabled} */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled {@code asyncio.metrics.enabled} */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
