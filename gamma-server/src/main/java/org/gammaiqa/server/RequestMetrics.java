package org.gammaiqa.server;

import java.util.Set;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.gammaiqa.server.metrics.ServiceMetrics;

/**
 * Counts every request in flight and, once its answer is written (or its client gone), its route, status and
 * duration. Jetty's StatisticsHandler counts requests too, but not by route and status, the labels the metrics need.
 */
final class RequestMetrics extends Handler.Wrapper {
    /** The route label of a path the service does not serve, so that scanners cannot grow the label set. */
    static final String OTHER = "other";

    private final ServiceMetrics metrics;
    private final Set<String> routes;

    RequestMetrics(ServiceMetrics metrics, Set<String> routes, Handler handler) {
        super(handler);
        this.metrics = metrics;
        this.routes = Set.copyOf(routes);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long start = System.nanoTime();
        String path = request.getHttpURI().getPath();
        String route = routes.contains(path) ? path : OTHER;
        metrics.requestStarted();
        Callback counted = Callback.from(() -> metrics.response(route, response.getStatus(), System.nanoTime() - start), callback);
        if (super.handle(request, response, counted)) {
            return true;
        }
        metrics.response(route, 404, System.nanoTime() - start); // Jetty answers what no handler took
        return false;
    }
}
