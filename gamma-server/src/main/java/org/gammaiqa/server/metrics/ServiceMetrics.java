package org.gammaiqa.server.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** The service's counters, and their rendering as Prometheus text (exposition format 0.0.4). */
public final class ServiceMetrics {
    private record Key(String route, int status) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = route.compareTo(o.route);
            return c != 0 ? c : Integer.compare(status, o.status);
        }
    }

    private final ConcurrentHashMap<Key, LongAdder> responses = new ConcurrentHashMap<>();
    private final Histogram latency = new Histogram(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);
    private final Histogram batchSizes = new Histogram(1, 2, 4, 8, 16, 32, 64, 128);
    private final LongAdder imagesScored = new LongAdder();
    private volatile IntSupplier queueDepth = () -> 0;

    /** One answered request: its route (e.g. {@code /v1/score}), status and time from arrival to answer. */
    public void response(String route, int status, long nanos) {
        responses.computeIfAbsent(new Key(route, status), k -> new LongAdder()).increment();
        if (route.equals("/v1/score")) {
            latency.observe(nanos / 1e9);
        }
    }

    /** One batch handed to the network, of {@code size} images. */
    public void batch(int size) {
        batchSizes.observe(size);
    }

    public void imagesScored(int n) {
        imagesScored.add(n);
    }

    /** Where the current queue depth is read from when metrics are rendered. */
    public void queueDepth(IntSupplier depth) {
        this.queueDepth = depth;
    }

    /** Answers so far with this status on this route. */
    public long responses(String route, int status) {
        LongAdder a = responses.get(new Key(route, status));
        return a == null ? 0 : a.sum();
    }

    public String prometheus() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP gamma_http_requests_total HTTP requests answered, by route and status.\n");
        out.append("# TYPE gamma_http_requests_total counter\n");
        Map<Key, LongAdder> sorted = new TreeMap<>(responses);
        sorted.forEach((k, v) -> out.append("gamma_http_requests_total{route=\"").append(k.route())
                .append("\",status=\"").append(k.status()).append("\"} ").append(v.sum()).append('\n'));
        out.append("# HELP gamma_score_request_seconds Time from arrival to answer of POST /v1/score.\n");
        out.append("# TYPE gamma_score_request_seconds histogram\n");
        latency.render(out, "gamma_score_request_seconds");
        out.append("# HELP gamma_queue_depth Images waiting to be scored.\n");
        out.append("# TYPE gamma_queue_depth gauge\n");
        out.append("gamma_queue_depth ").append(queueDepth.getAsInt()).append('\n');
        out.append("# HELP gamma_batch_size Images per batch handed to the network.\n");
        out.append("# TYPE gamma_batch_size histogram\n");
        batchSizes.render(out, "gamma_batch_size");
        out.append("# HELP gamma_images_scored_total Images scored.\n");
        out.append("# TYPE gamma_images_scored_total counter\n");
        out.append("gamma_images_scored_total ").append(imagesScored.sum()).append('\n');
        return out.toString();
    }
}
