package org.gammaiqa.server;

import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.MDC;

/**
 * Gives every request an id: the client's {@code X-Request-Id} when it is a plain token of at most 128 characters,
 * else a new UUID. The id is answered in the same header, put in every JSON error, and set in the logging MDC
 * ({@value #MDC_KEY}) of every log line about the request, the access log's included. Jetty ships no handler for
 * correlation ids, hence this one.
 */
final class RequestIds extends Handler.Wrapper {
    static final String HEADER = "X-Request-Id";
    static final String MDC_KEY = "request_id";
    private static final String ATTRIBUTE = RequestIds.class.getName();
    /** What a client's id may hold: no spaces, quotes or control characters that would garble a log line. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:/+=@-]{1,128}");

    RequestIds(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String given = request.getHeaders().get(HEADER);
        String id = given != null && TOKEN.matcher(given).matches() ? given : UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, id);
        response.getHeaders().put(HEADER, id);
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_KEY, id)) {
            return super.handle(request, response, callback);
        }
    }

    /** The request's id, or null for a request Jetty refused before any handler saw it (unparsable HTTP). */
    static String of(Request request) {
        Object id = request.getAttribute(ATTRIBUTE);
        return id == null ? null : id.toString();
    }

    /** Runs {@code action} with the request's id in the logging MDC, on whatever thread answers it. */
    static void logging(String id, Runnable action) {
        if (id == null) {
            action.run();
            return;
        }
        try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_KEY, id)) {
            action.run();
        }
    }
}
