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
 * The answers Jetty gives itself, before any route sees the request (unparsable HTTP: 400, headers over
 * 8 KiB: 431, …), in the service's JSON error shape {@code {"status", "error"}} rather than an HTML page.
 */
final class JsonErrors extends ErrorHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback)
            throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("status", code);
        o.put("error", (message == null || message.isBlank() ? "bad request" : message)
                + "; send well-formed HTTP/1.1 with headers under 8 KiB (see GET /openapi.json)");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(JSON.writeValueAsBytes(o)), callback);
    }
}
