package dev.asyncio.spring;

import io.micrometer.context.ThreadLocalAccessor;
import java.util.Objects;
import org.slf4j.MDC;

/**
 * One SLF4J MDC entry as a Micrometer {@link ThreadLocalAccessor} whose key is the MDC key itself: a Reactor
 * context value written with {@code contextWrite(ctx -> ctx.put("requestId", id))} is put in the MDC as
 * {@code requestId} wherever context propagation restores thread-locals (inside {@code mono}/{@code flux}
 * coroutines, their tasks after a suspension, {@code toThread} work). Micrometer's own
 * {@code Slf4jThreadLocalAccessor} instead carries a map of MDC entries under the single Reactor key
 * {@code "cp.slf4j"}, so a value put under {@code "requestId"} never reaches it (issue 22).
 *
 * <p>The asyncio-spring auto-configuration registers one per {@code asyncio.context-propagation.mdc-keys}
 * entry; register one yourself with
 * {@code ContextRegistry.getInstance().registerThreadLocalAccessor(new MdcKeyAccessor("requestId"))}. Values
 * that are not strings are put as their {@code toString()}. Stateless: the MDC is the calling thread's.
 */
public final class MdcKeyAccessor implements ThreadLocalAccessor<Object> {
    private final String key;

    /**
     * @param key the MDC key, which is also the Reactor context key
     * @throws NullPointerException if {@code key} is null
     */
    public MdcKeyAccessor(String key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    /** @return the MDC key, also the Reactor context key */
    @Override
    public Object key() {
        return key;
    }

    /** @return the calling thread's MDC value, or {@code null} */
    @Override
    public Object getValue() {
        return MDC.get(key);
    }

    /** @param value put in the calling thread's MDC, as a string */
    @Override
    public void setValue(Object value) {
        MDC.put(key, value.toString());
    }

    /** Removes the entry from the calling thread's MDC (the snapshot had no value). */
    @Override
    public void setValue() {
        MDC.remove(key);
    }

    /** @param previousValue the value to put back in the calling thread's MDC */
    @Override
    public void restore(Object previousValue) {
        setValue(previousValue);
    }

    /** Removes the entry from the calling thread's MDC (there was none before). */
    @Override
    public void restore() {
        MDC.remove(key);
    }

    @Override
    public String toString() {
        return "MdcKeyAccessor[" + key + "]";
    }
}
