package dev.asyncio.spring;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * The log lines of one logger as the real Logback of the test's Boot application writes them, each with
 * the MDC it had when written (read on the logging thread, as Logback's pattern layout does). Attach it
 * after the application has started: Boot re-initialises Logback at start-up.
 */
final class CapturedLogs extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    /** A line: its level, its formatted message, and the writing thread's MDC. */
    record Line(String level, String message, Map<String, String> mdc) {
    }

    private final Logger logger;
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private CapturedLogs(Logger logger) {
        this.logger = logger;
    }

    static CapturedLogs of(String loggerName) {
        CapturedLogs captured = new CapturedLogs((Logger) LoggerFactory.getLogger(loggerName));
        captured.setContext(captured.logger.getLoggerContext());
        captured.start();
        captured.logger.addAppender(captured);
        return captured;
    }

    @Override
    protected void append(ILoggingEvent event) {
        lines.add(new Line(event.getLevel().toString(), event.getFormattedMessage(), Map.copyOf(event.getMDCPropertyMap())));
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    /** @return the MDC value of {@code key} in the line whose message is {@code message} (null if none) */
    String mdcOf(String message, String key) {
        for (Line l : lines) {
            if (l.message().equals(message)) {
                return l.mdc().get(key);
            }
        }
        throw new AssertionError("no line '" + message + "' among " + lines);
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
