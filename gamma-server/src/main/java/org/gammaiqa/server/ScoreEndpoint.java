package org.gammaiqa.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.scoring.ScoreResult;
import org.gammaiqa.server.batching.RejectedException;
import org.gammaiqa.server.metrics.ServiceMetrics;

/**
 * {@code POST /v1/score}: reads the request ({@link ScoreRequest}), queues its images, and answers one result per
 * image, in order, once all are scored.
 */
final class ScoreEndpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerConfig config;
    private final ImageDecoder decoder;
    private final ServiceMetrics metrics;

    ScoreEndpoint(ServerConfig config, ImageDecoder decoder, ServiceMetrics metrics) {
        this.config = config;
        this.decoder = decoder;
        this.metrics = metrics;
    }

    /**
     * Reads the request and queues its images; the answer completes when all are scored.
     *
     * @throws ApiException      when the request is refused (400, 413, 415) before any scoring
     * @throws RejectedException when the queue has no room for all its images (503)
     */
    CompletableFuture<ObjectNode> start(Exchange ex, byte[] body, LoadedModel m, long deadlineNanos) throws ApiException, RejectedException {
        ScoreRequest request = ScoreRequest.read(ex.header("Content-Type"), ex.rawQuery(), body, config.limits(), decoder);
        List<CompletableFuture<ScoreResult>> futures = m.batcher().submit(request.images(), request.options(), deadlineNanos);
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            metrics.imagesScored(futures.size());
            return results(request, futures, m, ex.start());
        });
    }

    private static ObjectNode results(ScoreRequest request, List<CompletableFuture<ScoreResult>> futures, LoadedModel m, long start) {
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
