package dev.asyncio.reactor;

import static dev.asyncio.reactor.ReactorCoroutines.mono;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.context.ContextRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The warning that a Reactor context value meant for the MDC will not reach it, read from the real
 * {@link System.Logger} (the JDK's default, java.util.logging) with real Reactor contexts. Each test uses
 * keys of its own: the warning is given once per key for the JVM's life.
 */
class DroppedContextWarningTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Logger julLogger = Logger.getLogger(ReactorCoroutines.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        julLogger.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        julLogger.removeHandler(capture);
        ReactorCoroutines.disableContextPropagation();
    }

    private String mdcInBody(String key, Object value) {
        return mono(() -> String.valueOf(MDC.get(key))).contextWrite(ctx -> ctx.put(key, value)).block(WAIT);
    }

    @Test
    void withPropagationOffAValueForTheMdcIsDroppedWithOneWarningSayingToTurnItOn() {
        assertEquals("null", mdcInBody("requestIdOff", "r-1"));
        assertEquals("null", mdcInBody("requestIdOff", "r-2"));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("'requestIdOff'") && warnings.get(0).contains("enableContextPropagation()")
                && warnings.get(0).contains("asyncio.context-propagation.mdc-keys=requestIdOff"), warnings.get(0));
    }

    @Test
    void withPropagationOnButNoAccessorTheWarningSaysToRegisterOne() {
        ReactorCoroutines.enableContextPropagation();
        assertEquals("null", mdcInBody("requestIdNoAccessor", "r-1"));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("no ThreadLocalAccessor is registered"), warnings.get(0));
    }

    @Test
    void aValueWithAnAccessorIsPropagatedWithoutAWarning() {
        String key = "requestIdWithAccessor";
        ContextRegistry.getInstance().registerThreadLocalAccessor(key, () -> MDC.get(key), v -> MDC.put(key, v),
                () -> MDC.remove(key));
        try {
            ReactorCoroutines.enableContextPropagation();
            assertEquals("r-1", mdcInBody(key, "r-1"));
            assertEquals(List.of(), warnings);
        } finally {
            ContextRegistry.getInstance().removeThreadLocalAccessor(key);
        }
    }

    @Test
    void valuesThatAreNoThreadLocalCandidatesAreIgnored() {
        assertEquals("null", mdcInBody("someObject", new Object()));
        assertEquals(List.of(), warnings);
    }
}
