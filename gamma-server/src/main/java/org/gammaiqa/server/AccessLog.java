package org.gammaiqa.server;

import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Slf4jRequestLogWriter;

/**
 * One line per answered request, written by Jetty's own {@link CustomRequestLog} in the extended NCSA (combined)
 * format followed by the request id and the time taken in milliseconds, to the SLF4J logger {@value #LOGGER}; the line
 * is logged with the request id in the MDC, so a JSON log carries it as a field too.
 */
final class AccessLog implements RequestLog {
    static final String LOGGER = "org.gammaiqa.server.access";
    static final String FORMAT = CustomRequestLog.EXTENDED_NCSA_FORMAT + " %{" + RequestIds.HEADER + "}o %{ms}T";

    private final CustomRequestLog log;

    AccessLog() {
        Slf4jRequestLogWriter writer = new Slf4jRequestLogWriter();
        writer.setLoggerName(LOGGER);
        log = new CustomRequestLog(writer, FORMAT);
    }

    @Override
    public void log(Request request, Response response) {
        RequestIds.logging(RequestIds.of(request), () -> log.log(request, response));
    }

    CustomRequestLog delegate() {
        return log;
    }
}
