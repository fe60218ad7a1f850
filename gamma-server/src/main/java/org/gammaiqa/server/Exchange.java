package org.gammaiqa.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its single answer, whatever thread gives it: what a route reads (method, query, headers,
 * the body under the service's limits) and how it answers (bytes, JSON, or a JSON error with the headers
 * its status calls for and the request id). A 500 is logged with its stack trace, under the request id; every
 * other refusal at debug level.
 */
final class Exchange {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(Exchange.class);

    private final Request request;
    private final Response response;
    private final Callback callback;
    private final String allow;
    private final String id;
    private final long start = System.nanoTime();
    private final Function<Request, CompletableFuture<byte[]>> bodies;
    private final AtomicBoolean sent = new AtomicBoolean();
    private volatile boolean bodyRead;
    /** The body was refused part-way (too large, too slow, no room): the rest is unread, so the connection closes. */
    private volatile boolean bodyCut;

    Exchange(Request request, Response response, Callback callback, String allow, Function<Request, CompletableFuture<byte[]>> bodies) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.allow = allow;
        this.id = RequestIds.of(request);
        this.bodies = bodies;
    }

    /** The raw (still percent-encoded) query string, or null. */
    public String rawQuery() {
        return request.getHttpURI().getQuery();
    }

    public String header(String name) {
        return request.getHeaders().get(name);
    }

    /** When the request arrived, in {@link System#nanoTime()}. */
    public long start() {
        return start;
    }

    /** The whole body, read without holding a thread; fails with an {@link ApiException} (408, 413, 400). */
    public CompletableFuture<byte[]> body() {
        bodyRead = true;
        return bodies.apply(request).whenComplete((body, failure) -> bodyCut = failure != null);
    }

    public void json(int status, Object body) {
        try {
            send(status, "application/json", JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON answer", e);
        }
    }

    /** A JSON error {@code {"status", "error", "request_id"}}, with Retry-After on 503, Allow on 405, and a closed connection after 408 and 413. */
    public void error(int status, String message) {
        error(status, message, null);
    }

    /** A JSON error; a 500 is logged with {@code cause}'s stack trace and the request id. */
    private void error(int status, String message, Throwable cause) {
        RequestIds.logging(id, () -> {
            if (status >= 500 && status != 503 && status != 504) {
                LOG.error("{} {} answered {}: {}", request.getMethod(), request.getHttpURI().getPath(), status, message, cause);
            } else {
                LOG.debug("{} {} answered {}: {}", request.getMethod(), request.getHttpURI().getPath(), status, message);
            }
        });
        ObjectNode o = JSON.createObjectNode();
        o.put("status", status);
        o.put("error", message);
        if (id != null) {
            o.put("request_id", id);
        }
        switch (status) {
            case 408, 413 -> closeAfter();
            case 503 -> response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            case 405 -> response.getHeaders().put(HttpHeader.ALLOW, allow);
            case 401 -> response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "ApiKey header=\"" + ServerConfig.API_KEY_HEADER + "\"");
            default -> { }
        }
        json(status, o);
    }

    /** Answers a failed step: an {@link ApiException} with its status, anything else with 500 (logged with its trace). */
    public void fail(Throwable failure) {
        if (cause(failure) instanceof ApiException e) {
            error(e.status, e.getMessage());
        } else {
            error(500, "internal error: " + cause(failure), cause(failure));
        }
    }

    /** Answers 500 for an unexpected failure of the work, {@code what} saying which; logged with its trace. */
    public void internalError(String what, Throwable cause) {
        error(500, what + ": " + cause, cause);
    }

    /** What failed a step of a future chain, without the {@link CompletionException} around it. */
    static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /**
     * Answers once. A body the route did not read is read first (under the same limits) and dropped: the client
     * may reuse the connection, and a connection closed with input unread is reset, which can destroy the answer
     * in transit. A body that breaks the limits gets the answer all the same, and the connection is then closed.
     */
    public void send(int status, String contentType, byte[] body) {
        if (!sent.compareAndSet(false, true)) {
            return;
        }
        boolean unread = !bodyRead && (request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
        if (!unread) {
            write(status, contentType, body);
            return;
        }
        bodies.apply(request).whenComplete((dropped, failure) -> {
            bodyCut = failure != null;
            write(status, contentType, body);
        });
    }

    private void write(int status, String contentType, byte[] body) {
        if (bodyCut) {
            closeAfter();
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    private void closeAfter() {
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
}
