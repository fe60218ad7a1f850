package org.gammaiqa.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty and its stock handlers give themselves, in the service's JSON error shape
 * {@code {"status", "error", "request_id"}} rather than an HTML page: unparsable HTTP (400), headers over 8 KiB (431),
 * a body over the limit from its Content-Length (413, SizeLimitHandler), a request during shutdown (503,
 * GracefulHandler). After a 408, 413 or 503 the connection is closed: the rest of a refused body is never read.
 */
final class JsonErrors extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long maxBodyBytes;

    JsonErrors(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The 413 sentence for a body of {@code size} (e.g. "123 bytes") over {@code max} bytes. */
    static String tooLarge(String size, long max) {
        return "request body is " + size + ", over the limit of " + max
                + " bytes; send a smaller image or ask the operator to raise --max-body-mb";
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback)
            throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("status", code);
        o.put("error", switch (code) {
            case 413 -> tooLarge(request.getLength() >= 0 ? request.getLength() + " bytes" : "more than " + maxBodyBytes + " bytes", maxBodyBytes);
            case 503 -> "the service is shutting down; retry on another instance";
            default -> (message == null || message.isBlank() ? "bad request" : message)
                    + "; send well-formed HTTP/1.1 with headers under 8 KiB (see GET /openapi.json)";
        });
        String id = RequestIds.of(request);
        if (id != null) {
            o.put("request_id", id);
            response.getHeaders().put(RequestIds.HEADER, id);
        }
        if (code == 408 || code == 413 || code == 503) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        if (code == 503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(o)), callback);
    }
}
