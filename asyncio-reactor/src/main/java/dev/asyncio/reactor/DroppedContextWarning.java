package dev.asyncio.reactor;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.util.context.ContextView;

/**
 * The warning that a value of a subscriber's Reactor context, one that looks meant for a thread-local
 * (SLF4J's MDC above all: a string or number under a string key, or a map), will not be seen by
 * thread-locals inside a {@code mono}/{@code flux} coroutine: Micrometer's context-propagation library is
 * absent, or {@link ReactorCoroutines#enableContextPropagation()} is off, or no {@code ThreadLocalAccessor}
 * is registered under that key. Without it such a value is dropped silently and every log line shows
 * {@code null} (issue 22). Logged once per key (at most {@value #MAX_KEYS} keys), through
 * {@link System.Logger} at {@code WARNING}, naming what to add; see docs/spring.md.
 */
final class DroppedContextWarning {
    private static final int MAX_KEYS = 64;

    private DroppedContextWarning() {
    }

    /**
     * Set up on the first non-empty context only: a subscription with an empty context (most of them, and
     * every one of StepVerifier's virtual-time tests) must not pay for, nor be delayed by, finding the
     * logging back end.
     */
    private static final class State {
        static final System.Logger LOG = System.getLogger(ReactorCoroutines.class.getName());
        static final boolean LIBRARY_PRESENT = libraryPresent();
        static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    }

    /**
     * Warns about the values of {@code context} that {@code propagation} (the installed one, or
     * {@code null}) will not set as thread-locals. On the subscribing thread; cheap for an empty context.
     */
    static void check(ContextView context, ContextPropagationBridge propagation) {
        if (context.isEmpty() || State.WARNED.size() >= MAX_KEYS) {
            return;
        }
        context.stream().forEach(entry -> {
            if (entry.getKey() instanceof String key && looksLikeThreadLocalValue(key, entry.getValue())
                    && !State.WARNED.contains(key) && (propagation == null || !propagation.hasAccessorFor(key))
                    && State.WARNED.size() < MAX_KEYS && State.WARNED.add(key)) {
                State.LOG.log(System.Logger.Level.WARNING, message(key, propagation != null));
            }
        });
    }

    private static boolean looksLikeThreadLocalValue(String key, Object value) {
        return !key.equals(ReactorContext.TASK_NAME_KEY)
                && (value instanceof CharSequence || value instanceof Number || value instanceof Map<?, ?>);
    }

    static String message(String key, boolean propagationOn) {
        String what = "The Reactor context value under '" + key + "' reaches a mono/flux coroutine, but no thread-local "
                + "(SLF4J's MDC, ...) will see it there, nor in toThread work: ";
        String why;
        if (!State.LIBRARY_PRESENT) {
            why = "Micrometer's context-propagation library is not on the class path. Add io.micrometer:context-propagation, "
                    + "turn propagation on (ReactorCoroutines.enableContextPropagation(); asyncio-spring does it itself) and ";
        } else if (!propagationOn) {
            why = "context propagation is off. Turn it on (ReactorCoroutines.enableContextPropagation(); in Spring Boot "
                    + "asyncio.context-propagation.enabled=true, the default) and ";
        } else {
            why = "no ThreadLocalAccessor is registered for that key in ContextRegistry. ";
        }
        return what + why + "register a ThreadLocalAccessor keyed '" + key + "' (in Spring Boot: "
                + "asyncio.context-propagation.mdc-keys=" + key + " puts it in the MDC). If the value is only read with "
                + "ReactorContext.current(), ignore this; it is logged once per key.";
    }

    private static boolean libraryPresent() {
        try {
            Class.forName("io.micrometer.context.ContextRegistry", false, DroppedContextWarning.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError absent) {
            return false;
        }
    }
}
