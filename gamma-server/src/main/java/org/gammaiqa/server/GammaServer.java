package org.gammaiqa.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoreResult;
import org.gammaiqa.server.batching.DeadlineExceededException;
import org.gammaiqa.server.batching.MicroBatcher;
import org.gammaiqa.server.batching.RejectedException;
import org.gammaiqa.server.metrics.ServiceMetrics;

/**
 * The scoring service. {@link #start} binds and answers health checks at once; {@link #ready} hands
 * it the loaded model, after which {@code /readyz} says ready, {@code /v1/score} scores and {@code /v1/map}
 * maps (its work in {@link MapEndpoint}).
 * {@link #shutdown} refuses new requests (503), answers every request already accepted, then stops.
 */
public final class GammaServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCORE = "/v1/score";
    private static final String MAP = "/v1/map";

    private final ServerConfig config;
    private final HttpServer http;
    private final ThreadPoolExecutor executor;
    private final ImageDecoder decoder;
    private final ServiceMetrics metrics = new ServiceMetrics();
    private final MapEndpoint maps;
    /** Requests that arrived before shutdown began and are not yet answered. */
    private final AtomicInteger accepted = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final byte[] openApi;
    private volatile boolean accepting = true;
    private volatile Model model;

    private record Model(GammaScorer scorer, MicroBatcher batcher, ObjectNode description) {}

    private GammaServer(ServerConfig config, HttpServer http, ThreadPoolExecutor executor, byte[] openApi) {
        this.config = config;
        this.http = http;
        this.executor = executor;
        this.openApi = openApi;
        this.decoder = new ImageDecoder(new ImageDecoder.DecodeOptions(config.limits().maxPixels(), false));
        this.maps = new MapEndpoint(config, decoder, executor);
    }

    /** Binds {@code config.host():config.port()} and starts answering; scoring waits for {@link #ready}. */
    public static GammaServer start(ServerConfig config) throws IOException {
        byte[] openApi;
        try (InputStream in = GammaServer.class.getResourceAsStream("openapi.json")) {
            openApi = in.readAllBytes();
        }
        HttpServer http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 256);
        // Requests beyond the threads wait in a bounded queue; past it the dispatcher thread runs the
        // request itself, which stops it accepting connections: back-pressure, never a dropped request.
        ThreadPoolExecutor executor = new ThreadPoolExecutor(config.httpThreads(), config.httpThreads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(1024), r -> {
                    Thread t = new Thread(r, "gamma-http");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        GammaServer server = new GammaServer(config, http, executor, openApi);
        http.setExecutor(executor);
        http.createContext("/", server::handle);
        http.start();
        return server;
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
        return http.getAddress();
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
        http.stop(1); // closes the listener, and gives refusals being written a second to finish
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

    /** One answer per exchange, whatever thread gives it, counted in the metrics and the in-flight total. */
    private final class Answer {
        final HttpExchange ex;
        final String route;
        final long start = System.nanoTime();
        final AtomicBoolean sent = new AtomicBoolean();
        /** Whether this request arrived before shutdown began; later ones are refused. */
        final boolean counted;

        Answer(HttpExchange ex, String route) {
            this.ex = ex;
            this.route = route;
            // Count first, then look: shutdown flips the flag, then waits for the count, so none slips between.
            accepted.incrementAndGet();
            if (accepting) {
                counted = true;
            } else {
                counted = false;
                accepted.decrementAndGet();
                ex.getResponseHeaders().set("Connection", "close");
            }
        }

        void json(int status, Object body) {
            try {
                send(status, "application/json", JSON.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void error(int status, String message) {
            ObjectNode o = JSON.createObjectNode();
            o.put("status", status);
            o.put("error", message);
            if (status == 413) {
                ex.getResponseHeaders().set("Connection", "close");
            }
            if (status == 503) {
                ex.getResponseHeaders().set("Retry-After", "1");
            }
            if (status == 405) {
                ex.getResponseHeaders().set("Allow", route.equals(SCORE) || route.equals(MAP) ? "POST" : "GET");
            }
            if (status == 401) {
                ex.getResponseHeaders().set("WWW-Authenticate", "ApiKey header=\"" + ServerConfig.API_KEY_HEADER + "\"");
            }
            json(status, o);
        }

        /**
         * Reads what the client sent and the handler did not, up to twice the body limit: closing a
         * socket with unread input makes the kernel reset the connection, which can destroy the answer
         * in transit. A body larger still may see its 413 cut short; the status line usually arrives.
         */
        private void drainRequestBody() {
            try (InputStream in = ex.getRequestBody()) {
                long left = 2 * config.limits().maxBodyBytes();
                byte[] buf = new byte[8192];
                for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; ) {
                    left -= n;
                }
            } catch (IOException e) {
                // Nothing more to read from a client that went away.
            }
        }

        void send(int status, String contentType, byte[] body) {
            if (!sent.compareAndSet(false, true)) {
                return;
            }
            try (OutputStream out = ex.getResponseBody()) {
                drainRequestBody();
                ex.getResponseHeaders().set("Content-Type", contentType);
                ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                out.write(body);
            } catch (IOException e) {
                // The client went away; the answer was given as far as this side can.
            } finally {
                ex.close();
                metrics.response(route, status, System.nanoTime() - start);
                if (counted) {
                    accepted.decrementAndGet();
                }
            }
        }
    }

    private void handle(HttpExchange ex) {
        String path = ex.getRequestURI().getPath();
        String route = switch (path) {
            case SCORE, MAP, "/healthz", "/readyz", "/metrics", "/openapi.json" -> path;
            default -> "other";
        };
        Answer answer = new Answer(ex, route);
        try {
            dispatch(ex, route, answer);
        } catch (RuntimeException | Error e) {
            answer.error(500, "internal error: " + e);
        }
    }

    private void dispatch(HttpExchange ex, String route, Answer answer) {
        String method = ex.getRequestMethod();
        boolean get = method.equals("GET");
        switch (route) {
            case "/healthz" -> {
                if (!get) answer.error(405, "use GET " + route);
                else answer.json(200, JSON.createObjectNode().put("status", "ok"));
            }
            case "/readyz" -> {
                if (!get) answer.error(405, "use GET " + route);
                else readiness(answer);
            }
            case "/openapi.json" -> {
                if (!get) answer.error(405, "use GET " + route);
                else answer.send(200, "application/json", openApi);
            }
            case "/metrics" -> {
                if (!get) answer.error(405, "use GET " + route);
                else if (authorized(ex, answer)) {
                    answer.send(200, "text/plain; version=0.0.4; charset=utf-8", metrics.prometheus().getBytes(StandardCharsets.UTF_8));
                }
            }
            case SCORE -> {
                if (!method.equals("POST")) answer.error(405, "use POST " + SCORE + " with an image body or a multipart form");
                else if (authorized(ex, answer)) score(ex, answer);
            }
            case MAP -> {
                if (!method.equals("POST")) answer.error(405, "use POST " + MAP + " with an image body or a multipart form");
                else if (authorized(ex, answer)) map(ex, answer);
            }
            default -> answer.error(404, "no such resource " + ex.getRequestURI().getPath() + "; see GET /openapi.json");
        }
    }

    private void readiness(Answer answer) {
        Model m = model;
        ObjectNode o = JSON.createObjectNode();
        if (!accepting) {
            answer.json(503, o.put("status", "shutting down"));
        } else if (m == null) {
            answer.json(503, o.put("status", "loading model"));
        } else {
            o.put("status", "ready");
            o.set("model", m.description());
            answer.json(200, o);
        }
    }

    private boolean authorized(HttpExchange ex, Answer answer) {
        if (config.apiKey() == null) {
            return true;
        }
        String given = ex.getRequestHeaders().getFirst(ServerConfig.API_KEY_HEADER);
        if (given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), config.apiKey().getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        answer.error(401, (given == null ? "missing" : "wrong") + " API key; send it in the " + ServerConfig.API_KEY_HEADER + " header");
        return false;
    }

    /** The model to answer with, or null after refusing the request (503: shutting down, or still loading). */
    private Model admit(Answer answer) {
        Model m = model;
        if (!answer.counted) {
            answer.error(503, "the service is shutting down; retry on another instance");
            return null;
        }
        if (m == null) {
            answer.error(503, "the model is still loading; retry shortly (GET /readyz says when it is ready)");
        }
        return m;
    }

    /** Answers a request whose scoring failed: 504 past the deadline, else 500. */
    private void failed(Answer answer, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof TimeoutException || cause instanceof DeadlineExceededException) {
            answer.error(504, "not scored within the deadline of " + config.deadline().toMillis()
                    + " ms; the service is overloaded, retry later or send fewer images");
        } else {
            answer.error(500, "scoring failed: " + cause);
        }
    }

    /** A request's work, read and queued: it completes with what to answer. */
    @FunctionalInterface
    private interface Work<T> {
        CompletableFuture<T> start(Model m, long deadlineNanos) throws ApiException, RejectedException;
    }

    /**
     * Reads and queues a request's work, refusing it when the model is not ready (503), the request is bad (its
     * status) or the queue is full (503); answers with {@code reply} when the work is done, 504 past the deadline.
     */
    private <T> void queued(Answer answer, Work<T> work, Consumer<T> reply) {
        Model m = admit(answer);
        if (m == null) {
            return;
        }
        long deadline = answer.start + config.deadline().toNanos();
        CompletableFuture<T> done;
        try {
            done = work.start(m, deadline);
        } catch (ApiException e) {
            answer.error(e.status, e.getMessage());
            return;
        } catch (RejectedException e) {
            answer.error(503, e.getMessage() + "; retry after the Retry-After delay");
            return;
        }
        done.orTimeout(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).whenCompleteAsync((r, failure) -> {
            if (failure == null) {
                reply.accept(r);
            } else {
                failed(answer, failure);
            }
        }, executor);
    }

    private void map(HttpExchange ex, Answer answer) {
        queued(answer, (m, deadline) -> maps.start(ex, m.scorer(), m.batcher(), answer.start, deadline),
                r -> answer.send(200, r.contentType(), r.body()));
    }

    private void score(HttpExchange ex, Answer answer) {
        queued(answer, (m, deadline) -> {
            ScoreRequest request = ScoreRequest.read(ex, config.limits(), decoder);
            List<CompletableFuture<ScoreResult>> futures = m.batcher().submit(request.images(), request.options(), deadline);
            return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
                metrics.imagesScored(futures.size());
                return results(request, futures, m, answer.start);
            });
        }, results -> answer.json(200, results));
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
