package org.gammaiqa.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's logging, on Logback, to standard error: one line per event, as text or as one JSON object per line
 * (Logback's {@link JsonEncoder}: timestamp, level, logger, thread, MDC with the request id, message, and a
 * structured throwable). {@code org.gammaiqa} (the service, its access log) logs at the chosen level, everything
 * else (Jetty, DJL) at WARN, DJL's GPU probe at ERROR. An operator's own {@code -Dlogback.configurationFile=…} replaces all of this.
 */
final class ServiceLogging {
    /** How log lines are written. */
    enum Format { text, json }

    /** The text lines: time, level, the request id (or -), logger and message, and a stack trace when there is one. */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%X{request_id:--}] %logger{0}: %msg%n";

    /** DJL looks for a GPU at every start and warns on each machine without a working CUDA driver. */
    private static final String QUIET_GPU_PROBE = "ai.djl.util.cuda";

    private ServiceLogging() {}

    static void configure(Format format, String level) {
        Level chosen = Level.toLevel(level, null);
        if (chosen == null) {
            throw new IllegalArgumentException("--log-level " + level + " is not a level; expected error, warn, info, debug or trace");
        }
        if (System.getProperty("logback.configurationFile") != null) {
            return;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Encoder<ILoggingEvent> encoder;
        if (format == Format.json) {
            JsonEncoder json = new JsonEncoder();
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithArguments(false);
            json.setWithMessage(false);
            json.setWithFormattedMessage(true);
            encoder = json;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(TEXT_PATTERN);
            encoder = text;
        }
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        context.getLogger("org.gammaiqa").setLevel(chosen);
        context.getLogger(QUIET_GPU_PROBE).setLevel(Level.ERROR);
    }
}
