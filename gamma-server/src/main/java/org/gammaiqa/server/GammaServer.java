package org.gammaiqa.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.server.batching.MicroBatcher;
import org.gammaiqa.server.metrics.ServiceMetrics;

/**
 * The scoring service, composed on Jetty. {@link #start} binds and answers health checks at once; {@link #ready} hands
 * it the loaded model, after which {@code /readyz} says ready and {@code /v1/score} and {@code /v1/map} score.
 * {@link #drain} turns {@code /readyz} to 503 while still serving, so that load balancers stop routing here;
 * {@link #shutdown} then refuses new requests (503), answers every request already received, and stops.
 *
 * <p>Each request passes, in order: {@link RequestIds} (its id), {@link HeaderDeadline} (no deadline while it is
 * answered), {@link RequestMetrics}, Jetty's GracefulHandler (counts it; 503 once shutdown began), SizeLimitHandler
 * (413 for a body over the limit), {@link BodyBudget} (503 when bodies together pass theirs), and PathMappingsHandler,
 * which hands it to its {@link Route}, one line each in {@link #routes}. Jetty's own request log writes the access log.
 */
public final class GammaServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Statuses of the routes that score: their refusals are documented in docs/SERVICE.md and /openapi.json. */
    private static final Set<Integer> SCORING_STATUSES = Set.of(200, 400, 401, 408, 413, 415, 500, 503, 504);

    private final ServerConfig config;
    private final Server jetty;
    private final ServerConnector connector;
    private final GracefulHandler graceful = new GracefulHandler();
    private final ThreadPoolExecutor executor;
    private final ServiceMetrics metrics = new ServiceMetrics();
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean draining;
    private volatile LoadedModel model;

    private GammaServer(ServerConfig config) throws IOException {
        this.config = config;
        ImageDecoder decoder = new ImageDecoder(new ImageDecoder.DecodeOptions(config.limits().maxPixels(), false));
        // Decoding and answering run here, off Jetty's threads, which only move bytes. Requests beyond the
        // threads wait in a bounded queue; past it the Jetty thread decodes itself: back-pressure, never a drop.
        this.executor = new ThreadPoolExecutor(config.httpThreads(), config.httpThreads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(1024), r -> {
                    Thread t = new Thread(r, "gamma-http");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("gamma-jetty");
        threads.setDaemon(true);
        jetty = new Server(threads);
        jetty.setStopTimeout(1000); // after the drain, refusals being written get a second to finish
        jetty.setErrorHandler(new JsonErrors(config.limits().maxBodyBytes()));
        AccessLog accessLog = new AccessLog();
        jetty.setRequestLog(accessLog);
        jetty.addBean(accessLog.delegate());
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConfig.Connections c = config.connections();
        connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(c.idleTimeout().toMillis());
        connector.setAcceptQueueSize(256);
        jetty.addConnector(connector);
        NetworkConnectionLimit limit = new NetworkConnectionLimit(c.maxConnections(), connector);
        limit.setEndPointIdleTimeout(c.headerTimeout().toMillis()); // at the limit, idle connections go sooner
        jetty.addBean(limit);

        QueuedWork queued = new QueuedWork(config, executor, () -> model);
        ScoreEndpoint scores = new ScoreEndpoint(config, decoder, metrics);
        MapEndpoint maps = new MapEndpoint(config, decoder, executor, metrics);
        byte[] openApi = resource("openapi.json");
        byte[] page = resource("index.html");
        route("/", "GET", false, Set.of(), Set.of(200), ex -> ex.send(200, "text/html; charset=utf-8", page));
        route("/healthz", "GET", false, Set.of(), Set.of(200), ex -> ex.json(200, JSON.createObjectNode().put("status", "ok")));
        route("/readyz", "GET", false, Set.of(), Set.of(200, 503), this::readiness);
        route("/openapi.json", "GET", false, Set.of(), Set.of(200), ex -> ex.send(200, "application/json", openApi));
        route("/metrics", "GET", config.metricsNeedKey(), Set.of(), Set.of(200, 401),
                ex -> ex.send(200, ServiceMetrics.contentType(), metrics.scrape()));
        route("/v1/score", "POST", true, ScoreRequest.PARAMETERS, SCORING_STATUSES,
                ex -> queued.run(ex, (m, body, deadline) -> scores.start(ex, body, m, deadline), (m, r) -> ex.json(200, r)));
        route("/v1/map", "POST", true, MapRequest.PARAMETERS, SCORING_STATUSES,
                ex -> queued.run(ex, (m, body, deadline) -> maps.start(ex, body, m, deadline), (m, r) -> ex.send(200, r.contentType(), r.body())));

        PathMappingsHandler paths = new PathMappingsHandler();
        routes.forEach((path, route) -> paths.addMapping(new ServletPathSpec(path.equals("/") ? "" : path), route));
        paths.addMapping(new ServletPathSpec("/"), new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                new Exchange(request, response, callback, "GET", GammaServer.this::readBody)
                        .error(404, "no such resource " + request.getHttpURI().getPath() + "; see GET /openapi.json");
                return true;
            }
        });
        SizeLimitHandler bodyLimit = new SizeLimitHandler(config.limits().maxBodyBytes(), -1);
        bodyLimit.setHandler(new BodyBudget(config.limits().maxBufferedBytes(), paths));
        graceful.setHandler(bodyLimit);
        HeaderDeadline headerDeadline = new HeaderDeadline(connector.getScheduler(), c.headerTimeout(),
                new RequestMetrics(metrics, routes.keySet(), graceful));
        connector.addBean(headerDeadline);
        jetty.setHandler(new RequestIds(headerDeadline));
    }

    private void route(String path, String method, boolean keyed, Set<String> parameters, Set<Integer> statuses, Consumer<Exchange> action) {
        routes.put(path, new Route(method, keyed, parameters, statuses, action, new ApiKey(config.apiKey()), this::readBody));
    }

    private CompletableFuture<byte[]> readBody(Request request) {
        return BodyReader.read(request, config.limits().maxBodyBytes(), config.connections().minBodyRate(), connector.getScheduler());
    }

    /** Binds {@code config.host():config.port()} and starts answering; scoring waits for {@link #ready}. */
    public static GammaServer start(ServerConfig config) throws IOException {
        GammaServer server = new GammaServer(config);
        try {
            server.jetty.start();
        } catch (Exception e) {
            server.executor.shutdown();
            try {
                server.jetty.stop();
            } catch (Exception ignored) {
                // nothing was serving
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.net.BindException bind) {
                    throw bind;
                }
            }
            throw new IOException("cannot start the HTTP server on " + config.host() + ":" + config.port() + ": " + e, e);
        }
        return server;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = GammaServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is missing from the gamma-server jar; rebuild it");
            }
            return in.readAllBytes();
        }
    }

    /** Starts scoring with this model; the server owns it from now on and closes it on shutdown. */
    public void ready(GammaScorer scorer) {
        if (graceful.isShutdown()) {
            scorer.close(); // shut down while the model was loading
            return;
        }
        ServerConfig.Batching b = config.batching();
        MicroBatcher batcher = new MicroBatcher(scorer, b.maxBatch(), b.maxWait(), b.queueCapacity(), metrics::batch);
        metrics.queueDepth(batcher::queueDepth);
        metrics.model(scorer.source().name(), scorer.source().sha256());
        ObjectNode description = JSON.createObjectNode();
        description.put("name", scorer.source().name());
        description.put("sha256", scorer.source().sha256());
        model = new LoadedModel(scorer, batcher, description);
    }

    /** The bound address (the real port when the config asked for 0). */
    public InetSocketAddress address() {
        return new InetSocketAddress(config.host(), connector.getLocalPort());
    }

    public ServiceMetrics metrics() {
        return metrics;
    }

    /** The routes by path, in the order they were declared. */
    Map<String, Route> routes() {
        return Collections.unmodifiableMap(routes);
    }

    /**
     * Turns {@code /readyz} to 503 while every request is still served, for {@code delay}: long enough for a load
     * balancer or a Kubernetes Service to stop routing here; then {@link #shutdown}.
     *
     * @return what {@link #shutdown} returns
     */
    public boolean drain(Duration delay, Duration grace) throws InterruptedException {
        draining = true;
        Thread.sleep(delay.toMillis());
        return shutdown(grace);
    }

    /**
     * Stops accepting (new connections are refused, new requests on open ones get 503 and {@code Connection: close}),
     * waits up to {@code grace} for every request received before to be answered, then stops and closes the model.
     *
     * @return true when every accepted request was answered within the grace period
     */
    public boolean shutdown(Duration grace) throws InterruptedException {
        draining = true;
        long until = System.nanoTime() + grace.toNanos();
        // Jetty's graceful shutdown, started here rather than by stop() so that it gets the whole grace period: the
        // listener closes (a new connection is refused, never accepted and left unanswered), a request on an open
        // connection is answered 503 with Connection: close, idle connections are closed, and the requests already
        // received are answered.
        connector.shutdown();
        boolean clean;
        try {
            graceful.shutdown().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            clean = true;
        } catch (TimeoutException | ExecutionException e) {
            clean = false;
        }
        LoadedModel m = model;
        boolean drained = true;
        if (m != null) {
            m.batcher().shutdown();
            drained = m.batcher().awaitTermination(Duration.ofNanos(Math.max(1_000_000, until - System.nanoTime())));
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            clean = false; // the listener is closed all the same; the process may exit
        }
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        if (m != null && drained) {
            m.scorer().close(); // never under a batch still running: its native memory would go
        }
        stopped.countDown();
        return clean;
    }

    /** Blocks until {@link #shutdown} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    private void readiness(Exchange ex) {
        LoadedModel m = model;
        ObjectNode o = JSON.createObjectNode();
        if (draining) {
            ex.json(503, o.put("status", "shutting down"));
        } else if (m == null) {
            ex.json(503, o.put("status", "loading model"));
        } else {
            o.put("status", "ready");
            o.set("model", m.description());
            ex.json(200, o);
        }
    }
}
