package org.gammaiqa.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoreResult;
import org.gammaiqa.server.batching.DeadlineExceededException;
import org.gammaiqa.server.batching.MicroBatcher;
import org.gammaiqa.server.batching.RejectedException;
import org.gammaiqa.server.metrics.ServiceMetrics;

/**
 * The scoring service on Jetty. {@link #start} binds and answers health checks at once; {@link #ready} hands
 * it the loaded model, after which {@code /readyz} says ready and {@code /v1/score} and {@code /v1/map} score.
 * {@link #shutdown} refuses new requests (503), answers every request already accepted, then stops.
 * Routes are one line each in {@link #routes}: a path, the method it answers, whether it needs the API key.
 */
public final class GammaServer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerConfig config;
    private final Server jetty;
    private final ServerConnector connector;
    private final HeaderDeadline headerDeadline;
    private final ThreadPoolExecutor executor;
    private final ImageDecoder decoder;
    private final BodyBudget bodyBudget;
    private final MapEndpoint maps;
    private final ServiceMetrics metrics = new ServiceMetrics();
    private final Map<String, Route> routes = new LinkedHashMap<>();
    /** Requests that arrived before shutdown began and are not yet answered. */
    private final AtomicInteger accepted = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean accepting = true;
    private volatile Model model;

    private record Model(GammaScorer scorer, MicroBatcher batcher, ObjectNode description) {}

    /** What a path answers: its method, whether it needs the API key (when one is set), and the action. */
    private record Route(String method, boolean keyed, Consumer<Exchange> action) {}

    private GammaServer(ServerConfig config) throws IOException {
        this.config = config;
        this.decoder = new ImageDecoder(new ImageDecoder.DecodeOptions(config.limits().maxPixels(), false));
        this.bodyBudget = new BodyBudget(config.limits().maxBufferedBytes());
        // Decoding and answering run here, off Jetty's threads, which only move bytes. Requests beyond the
        // threads wait in a bounded queue; past it the Jetty thread decodes itself: back-pressure, never a drop.
        this.executor = new ThreadPoolExecutor(config.httpThreads(), config.httpThreads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(1024), r -> {
                    Thread t = new Thread(r, "gamma-http");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        this.maps = new MapEndpoint(config, decoder, executor);

        byte[] openApi = resource("openapi.json");
        byte[] page = resource("index.html");
        routes.put("/", new Route("GET", false, ex -> ex.send(200, "text/html; charset=utf-8", page)));
        routes.put("/healthz", new Route("GET", false, ex -> ex.json(200, JSON.createObjectNode().put("status", "ok"))));
        routes.put("/readyz", new Route("GET", false, this::readiness));
        routes.put("/openapi.json", new Route("GET", false, ex -> ex.send(200, "application/json", openApi)));
        routes.put("/metrics", new Route("GET", true, ex -> ex.send(200, "text/plain; version=0.0.4; charset=utf-8",
                metrics.prometheus().getBytes(StandardCharsets.UTF_8))));
        routes.put("/v1/score", new Route("POST", true, this::score));
        routes.put("/v1/map", new Route("POST", true, this::map));

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("gamma-jetty");
        threads.setDaemon(true);
        jetty = new Server(threads);
        jetty.setStopTimeout(1000); // refusals being written get a second to finish
        jetty.setErrorHandler(new JsonErrors());
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
        headerDeadline = new HeaderDeadline(connector.getScheduler(), c.headerTimeout());
        connector.addBean(headerDeadline);
        jetty.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                GammaServer.this.handle(request, response, callback);
                return true;
            }
        });
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
        if (!accepting) {
            scorer.close(); // shut down while the model was loading
            return;
        }
        ServerConfig.Batching b = config.batching();
        MicroBatcher batcher = new MicroBatcher(scorer, b.maxBatch(), b.maxWait(), b.queueCapacity(), metrics::batch);
        metrics.queueDepth(batcher::queueDepth);
        ObjectNode description = JSON.createObjectNode();
        description.put("name", scorer.source().name());
        description.put("sha256", scorer.source().sha256());
        model = new Model(scorer, batcher, description);
    }

    /** The bound address (the real port when the config asked for 0). */
    public InetSocketAddress address() {
        return new InetSocketAddress(config.host(), connector.getLocalPort());
    }

    public ServiceMetrics metrics() {
        return metrics;
    }

    /**
     * Stops accepting (new requests get 503 and {@code Connection: close}), waits up to {@code grace}
     * for every request that arrived before to be answered, then stops the listener and closes the model.
     *
     * @return true when every accepted request was answered within the grace period
     */
    public boolean shutdown(Duration grace) throws InterruptedException {
        accepting = false;
        long until = System.nanoTime() + grace.toNanos();
        while (accepted.get() > 0 && System.nanoTime() - until < 0) {
            Thread.sleep(5);
        }
        boolean clean = accepted.get() == 0;
        Model m = model;
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

    private void handle(Request request, Response response, Callback callback) {
        Connection connection = request.getConnectionMetaData().getConnection();
        headerDeadline.requestStarted(connection);
        String path = request.getHttpURI().getPath();
        Route route = routes.get(path);
        String label = route == null ? "other" : path;
        long start = System.nanoTime();
        // Count first, then look: shutdown flips the flag, then waits for the count, so none slips between.
        accepted.incrementAndGet();
        boolean counted = accepting;
        if (!counted) {
            accepted.decrementAndGet();
        }
        BodyBudget.Lease lease = bodyBudget.lease();
        Exchange ex = new Exchange(request, response, callback, route == null ? "GET" : route.method(), counted,
                r -> BodyReader.read(r, config.limits().maxBodyBytes(), config.connections().minBodyRate(), connector.getScheduler(), lease),
                status -> {
                    lease.close();
                    metrics.response(label, status, System.nanoTime() - start);
                    if (counted) {
                        accepted.decrementAndGet();
                    }
                    headerDeadline.requestFinished(connection);
                });
        try {
            if (route == null) {
                ex.error(404, "no such resource " + path + "; see GET /openapi.json");
            } else if (!route.method().equals(request.getMethod())) {
                ex.error(405, "use " + route.method() + " " + path + (route.method().equals("POST")
                        ? " with an image body or a multipart form" : ""));
            } else if (!route.keyed() || authorized(ex)) {
                route.action().accept(ex);
            }
        } catch (RuntimeException | Error e) {
            ex.fail(e);
        }
    }

    private void readiness(Exchange ex) {
        Model m = model;
        ObjectNode o = JSON.createObjectNode();
        if (!accepting) {
            ex.json(503, o.put("status", "shutting down"));
        } else if (m == null) {
            ex.json(503, o.put("status", "loading model"));
        } else {
            o.put("status", "ready");
            o.set("model", m.description());
            ex.json(200, o);
        }
    }

    private boolean authorized(Exchange ex) {
        if (config.apiKey() == null) {
            return true;
        }
        String given = ex.header(ServerConfig.API_KEY_HEADER);
        if (given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), config.apiKey().getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        ex.error(401, (given == null ? "missing" : "wrong") + " API key; send it in the " + ServerConfig.API_KEY_HEADER + " header");
        return false;
    }

    /** A request's work, read from its body and queued: it completes with what to answer. */
    @FunctionalInterface
    private interface Work<T> {
        CompletableFuture<T> start(Model m, byte[] body, long deadlineNanos) throws ApiException, RejectedException;
    }

    /**
     * Refuses a request when the service is shutting down or the model still loading (503) or the content type is
     * not an image or a form (415); otherwise reads its body without holding a thread, reads and queues its work
     * ({@code work}, refused with its status, or 503 when the queue is full) and answers with {@code reply} when the
     * work is done: 504 past the deadline, 400 for a bad custom prompt, else 500.
     */
    private <T> void queued(Exchange ex, Work<T> work, BiConsumer<Model, T> reply) {
        Model m = model;
        if (!ex.counted()) {
            ex.error(503, "the service is shutting down; retry on another instance");
            return;
        }
        if (m == null) {
            ex.error(503, "the model is still loading; retry shortly (GET /readyz says when it is ready)");
            return;
        }
        try {
            ScoreRequest.checkContentType(ex.header("Content-Type"));
        } catch (ApiException e) {
            ex.error(e.status, e.getMessage());
            return;
        }
        long deadline = ex.start() + config.deadline().toNanos();
        ex.body().thenAcceptAsync(body -> {
            CompletableFuture<T> done;
            try {
                done = work.start(m, body, deadline);
            } catch (ApiException e) {
                ex.error(e.status, e.getMessage());
                return;
            } catch (RejectedException e) {
                ex.error(503, e.getMessage() + "; retry after the Retry-After delay");
                return;
            }
            done.orTimeout(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).whenCompleteAsync((r, failure) -> {
                if (failure == null) {
                    reply.accept(m, r);
                } else {
                    failed(ex, Exchange.cause(failure));
                }
            }, executor);
        }, executor).exceptionally(failure -> {
            ex.fail(failure);
            return null;
        });
    }

    private void failed(Exchange ex, Throwable cause) {
        if (cause instanceof TimeoutException || cause instanceof DeadlineExceededException) {
            ex.error(504, "not scored within the deadline of " + config.deadline().toMillis()
                    + " ms; the service is overloaded, retry later or send fewer images");
        } else if (cause instanceof IllegalArgumentException) {
            ex.error(400, cause.getMessage()); // e.g. a custom prompt longer than the text tower reads
        } else {
            ex.error(500, "scoring failed: " + cause);
        }
    }

    private void score(Exchange ex) {
        queued(ex, (m, body, deadline) -> {
            ScoreRequest request = ScoreRequest.read(ex.header("Content-Type"), ex.rawQuery(), body, config.limits(), decoder);
            List<CompletableFuture<ScoreResult>> futures = m.batcher().submit(request.images(), request.options(), deadline);
            return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
                metrics.imagesScored(futures.size());
                return results(request, futures, m, ex.start());
            });
        }, (m, results) -> ex.json(200, results));
    }

    private void map(Exchange ex) {
        queued(ex, (m, body, deadline) -> maps.start(ex, body, m.scorer(), m.batcher(), deadline),
                (m, r) -> ex.send(200, r.contentType(), r.body()));
    }

    private static ObjectNode results(ScoreRequest request, List<CompletableFuture<ScoreResult>> futures, Model m, long start) {
        double elapsedMs = (System.nanoTime() - start) / 1e6;
        ObjectNode o = JSON.createObjectNode();
        ArrayNode results = o.putArray("results");
        for (int i = 0; i < futures.size(); i++) {
            ScoreResult r = futures.get(i).join();
            ObjectNode item = results.addObject();
            item.put("name", request.names().get(i));
            item.put("score", r.score());
            ArrayNode levels = item.putArray("levels");
            r.levels().forEach(levels::add);
            item.put("scene", r.prompts());
            item.put("crops", r.crops());
            item.put("seed", request.options().seed());
            item.put("width", r.width());
            item.put("height", r.height());
            item.put("upscaled", r.upscaled());
            item.set("model", m.description());
            item.put("elapsed_ms", elapsedMs);
        }
        return o;
    }
}
