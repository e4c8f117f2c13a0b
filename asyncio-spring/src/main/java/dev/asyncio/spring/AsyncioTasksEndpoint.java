package dev.asyncio.spring;

import dev.asyncio.EventLoop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The Actuator endpoint {@code asynciotasks} ({@code GET /actuator/asynciotasks} once exposed, e.g. with
 * {@code management.endpoints.web.exposure.include=health,asynciotasks}): every pending task of every loop
 * of the pool, as {@link EventLoop#dumpTasks()} lists them (name and state, what each awaits, which tasks
 * await it, the stack where it is suspended), per loop. The asyncio-spring auto-configuration registers it
 * when Actuator is on the class path. Each read asks each loop for its listing and waits up to a second
 * per loop; a stuck loop's listing is read without its cooperation and marked so (see
 * {@link EventLoop#dumpTasks()}). Thread-safe.
 */
@Endpoint(id = "asynciotasks")
public class AsyncioTasksEndpoint {
    private final AsyncioLoops pool;

    /** @param pool the loops to list */
    public AsyncioTasksEndpoint(AsyncioLoops pool) {
        this.pool = pool;
    }

    /**
     * Lists the tasks; on the HTTP (or JMX) thread serving the read.
     *
     * @return {@code {"loops": [{"loop": "asyncio-loop-0", "dump": [lines...]}, ...]}}, the lines those of
     *     {@link EventLoop#dumpTasks()}
     */
    @ReadOperation
    public Map<String, Object> tasks() {
        List<Map<String, Object>> loops = new ArrayList<>();
        List<EventLoop> all = pool.loops();
        for (int i = 0; i < all.size(); i++) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("loop", AsyncioLoops.THREAD_NAME_PREFIX + i);
            EventLoop loop = all.get(i);
            one.put("dump", loop.isClosed() ? List.of("(closed)") : loop.dumpTasks().lines().toList());
            loops.add(one);
        }
        return Map.of("loops", loops);
    }
}
