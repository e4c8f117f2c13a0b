package dev.asyncio.spring;

import dev.asyncio.internal.LoopInternals;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters of each loop of an {@link AsyncioLoops} pool, tagged {@code loop=asyncio-loop-N}; the
 * asyncio-spring auto-configuration binds them to the application's registries (with Micrometer on the
 * class path, e.g. through {@code spring-boot-starter-actuator}; off with {@code asyncio.metrics.enabled=false}):
 * <table>
 *   <caption>asyncio meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code asyncio.loop.tasks}</td><td>gauge</td><td>tasks not done yet (sampled on the loop once a second)</td></tr>
 *   <tr><td>{@code asyncio.loop.ready}</td><td>gauge</td><td>callbacks and steps ready to run, the loop's backlog (same sample)</td></tr>
 *   <tr><td>{@code asyncio.loop.lag}</td><td>time gauge</td><td>how late the loop ran its last probe timer
 *       (or how overdue the current one is, if it has not run): what a new request waits before its first step</td></tr>
 *   <tr><td>{@code asyncio.loop.slow.steps}</td><td>counter</td><td>steps that held the loop past
 *       {@code asyncio.slow-steps.threshold} (present while the slow-step detection is on)</td></tr>
 *   <tr><td>{@code asyncio.tasks.cancelled}</td><td>counter</td><td>tasks of the loop that ended
 *       cancelled, whoever started them ({@code submit}, {@code mono}/{@code flux}; a client disconnect, a timeout)</td></tr>
 * </table>
 * The samples are taken by a {@link LoopMonitor}. Thread-safe; the meters read volatile fields only.
 */
final class LoopMeters implements MeterBinder {
    private final LoopMonitor monitor;
    private final boolean slowSteps;

    LoopMeters(LoopMonitor monitor, boolean slowSteps) {
        this.monitor = monitor;
        this.slowSteps = slowSteps;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        List<LoopMonitor.Watched> watched = monitor.watched();
        for (int i = 0; i < watched.size(); i++) {
            LoopMonitor.Watched w = watched.get(i);
            Gauge.builder("asyncio.loop.tasks", w, LoopMonitor.Watched::tasks).tag("loop", w.name)
                    .description("Tasks of the event loop not done yet").register(registry);
            Gauge.builder("asyncio.loop.ready", w, LoopMonitor.Watched::ready).tag("loop", w.name)
                    .description("Callbacks and task steps ready to run on the event loop").register(registry);
            TimeGauge.builder("asyncio.loop.lag", w, TimeUnit.NANOSECONDS, LoopMonitor.Watched::lagNanos).tag("loop", w.name)
                    .description("How long work posted to the event loop waits before it runs").register(registry);
            if (slowSteps) {
                FunctionCounter.builder("asyncio.loop.slow.steps", w.slowSteps, a -> a.sum()).tag("loop", w.name)
                        .description("Steps that held the event loop longer than asyncio.slow-steps.threshold")
                        .register(registry);
            }
            FunctionCounter.builder("asyncio.tasks.cancelled", w.loop, LoopInternals::cancelledTasks).tag("loop", w.name)
                    .description("Tasks of the event loop that ended cancelled")
                    .register(registry);
        }
    }
}
