package org.gammaiqa.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.map.MapRenderer;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.server.batching.RejectedException;
import org.gammaiqa.server.metrics.ServiceMetrics;

/**
 * {@code POST /v1/map}: reads the request ({@link MapRequest}), scores its windows through the shared queue
 * ({@link MapScoring}), and renders the answer, the grid as JSON or the map as a PNG ({@code Accept: image/png}), on
 * the HTTP threads rather than the scoring thread.
 */
final class MapEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A successful answer's body and its content type. */
    record Reply(String contentType, byte[] body) {}

    private final ServerConfig config;
    private final ImageDecoder decoder;
    private final Executor renderers;
    private final ServiceMetrics metrics;

    MapEndpoint(ServerConfig config, ImageDecoder decoder, Executor renderers, ServiceMetrics metrics) {
        this.config = config;
        this.decoder = decoder;
        this.renderers = renderers;
        this.metrics = metrics;
    }

    /**
     * Reads the request and queues its work; the reply completes when the map is scored and drawn, or fails as a
     * score's does (deadline, scoring error).
     *
     * @param body the request body, arrived whole under the body limit
     * @throws ApiException      when the request is refused (400, 413, 415) before any scoring
     * @throws RejectedException when the queue has no room (503)
     */
    CompletableFuture<Reply> start(Exchange ex, byte[] body, LoadedModel m, long deadlineNanos) throws ApiException, RejectedException {
        GammaScorer scorer = m.scorer();
        MapRequest request = MapRequest.read(ex.header("Content-Type"), ex.rawQuery(), ex.header("Accept"), body, config.limits(), decoder);
        int batch = Math.min(config.batching().maxBatch(), config.batching().queueCapacity());
        return MapScoring.start(m.batcher(), batch, request, deadlineNanos).thenApplyAsync(map -> {
            metrics.mapScored(map.rows() * map.cols());
            if (request.png()) {
                return new Reply("image/png", MapRenderer.png(map, request.image(), scorer.source().name(), MapRenderer.DEFAULT_MAX_SIDE));
            }
            try {
                return new Reply("application/json", JSON.writeValueAsBytes(
                        map.toJson(request.name(), scorer.source(), (System.nanoTime() - ex.start()) / 1e6)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, renderers);
    }
}
