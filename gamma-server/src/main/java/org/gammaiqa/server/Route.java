package org.gammaiqa.server;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One path of the API, mapped by the server's PathMappingsHandler: the method it answers (405 otherwise), whether it
 * needs the API key (401 without it), the parameters it reads and the statuses it answers (both declared here so that
 * the tests hold {@code /openapi.json} to them), and its action on the {@link Exchange}.
 */
final class Route extends Handler.Abstract {
    private final String method;
    private final boolean keyed;
    private final Set<String> parameters;
    private final Set<Integer> statuses;
    private final Consumer<Exchange> action;
    private final ApiKey apiKey;
    private final Function<Request, CompletableFuture<byte[]>> bodies;

    Route(String method, boolean keyed, Set<String> parameters, Set<Integer> statuses, Consumer<Exchange> action,
          ApiKey apiKey, Function<Request, CompletableFuture<byte[]>> bodies) {
        this.method = method;
        this.keyed = keyed;
        this.parameters = Set.copyOf(parameters);
        this.statuses = Set.copyOf(statuses);
        this.action = action;
        this.apiKey = apiKey;
        this.bodies = bodies;
    }

    String method() {
        return method;
    }

    boolean keyed() {
        return keyed;
    }

    Set<String> parameters() {
        return parameters;
    }

    Set<Integer> statuses() {
        return statuses;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange ex = new Exchange(request, response, callback, method, bodies);
        try {
            if (!method.equals(request.getMethod())) {
                ex.error(405, "use " + method + " " + request.getHttpURI().getPath()
                        + (method.equals("POST") ? " with an image body or a multipart form" : ""));
            } else if (!keyed || apiKey.admits(ex)) {
                action.accept(ex);
            }
        } catch (RuntimeException | Error e) {
            ex.fail(e);
        }
        return true;
    }
}
