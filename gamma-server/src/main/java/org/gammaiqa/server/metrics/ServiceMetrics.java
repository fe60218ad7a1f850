package org.gammaiqa.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.IntSupplier;
import org.gammaiqa.server.BuildInfo;

/**
 * The service's metrics, on the Prometheus Java client, in a registry of its own (one per server): requests by route
 * and status with their duration, requests in flight, the queue, every batch handed to the network (its size and
 * duration), images, maps and map windows scored, the build and model, and the JVM and process collectors.
 */
public final class ServiceMetrics {
    /** Upper bounds of request durations, in seconds: 5 ms to the longest deadline one would set. */
    private static final double[] REQUEST_SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    private static final double[] BATCH_SIZES = {1, 2, 4, 8, 16, 32, 64, 128};
    private static final double[] FORWARD_SECONDS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("gamma_http_requests_total")
            .help("HTTP requests answered, by route (other: a path the service does not serve) and status")
            .labelNames("route", "status").register(registry);
    private final Histogram requestDuration = Histogram.builder().name("gamma_http_request_duration_seconds")
            .help("Time from a request's headers to its answer written, by route and status").unit(Unit.SECONDS)
            .labelNames("route", "status").classicOnly().classicUpperBounds(REQUEST_SECONDS).register(registry);
    private final Gauge inFlight = Gauge.builder().name("gamma_http_requests_in_flight")
            .help("Requests received and not yet answered").register(registry);
    private final Histogram batchSize = Histogram.builder().name("gamma_batch_size")
            .help("Images per batch handed to the network (score images and map windows alike)")
            .classicOnly().classicUpperBounds(BATCH_SIZES).register(registry);
    private final Histogram forwardDuration = Histogram.builder().name("gamma_forward_duration_seconds")
            .help("Time to score one batch: its crops' forward passes, averaging included").unit(Unit.SECONDS)
            .classicOnly().classicUpperBounds(FORWARD_SECONDS).register(registry);
    private final Counter imagesScored = Counter.builder().name("gamma_images_scored_total")
            .help("Images scored for POST /v1/score (map windows are counted apart)").register(registry);
    private final Counter mapsScored = Counter.builder().name("gamma_maps_total")
            .help("Quality maps made for POST /v1/map").register(registry);
    private final Counter windowsScored = Counter.builder().name("gamma_map_windows_scored_total")
            .help("Windows of quality maps scored, each alone").register(registry);
    private final Info build = Info.builder().name("gamma_build_info")
            .help("The build and the model this process serves; the model labels are empty while it loads")
            .labelNames("version", "commit", "libtorch", "model", "model_sha256").register(registry);
    private final BuildInfo buildInfo = BuildInfo.current();
    private volatile IntSupplier queueDepth = () -> 0;

    public ServiceMetrics() {
        GaugeWithCallback.builder().name("gamma_queue_depth").help("Images (and map windows) waiting to be scored")
                .callback(cb -> cb.call(queueDepth.getAsInt())).register(registry);
        build.setLabelValues(buildInfo.version(), buildInfo.commit(), buildInfo.libtorch(), "", "");
        JvmMetrics.builder().register(registry);
    }

    /** A request was received (its answer will come through {@link #response}). */
    public void requestStarted() {
        inFlight.inc();
    }

    /** One answered request: its route (e.g. {@code /v1/score}), status and time from its headers to its answer. */
    public void response(String route, int status, long nanos) {
        inFlight.dec();
        String code = Integer.toString(status);
        requests.labelValues(route, code).inc();
        requestDuration.labelValues(route, code).observe(nanos / 1e9);
    }

    /** One batch handed to the network: {@code size} images, scored in {@code nanos}. */
    public void batch(int size, long nanos) {
        batchSize.observe(size);
        forwardDuration.observe(nanos / 1e9);
    }

    public void imagesScored(int n) {
        imagesScored.inc(n);
    }

    /** One quality map made, of {@code windows} windows. */
    public void mapScored(int windows) {
        mapsScored.inc();
        windowsScored.inc(windows);
    }

    /** Where the current queue depth is read from when metrics are scraped. */
    public void queueDepth(IntSupplier depth) {
        this.queueDepth = depth;
    }

    /** The model now served, named in {@code gamma_build_info}. */
    public void model(String name, String sha256) {
        build.setLabelValues(buildInfo.version(), buildInfo.commit(), buildInfo.libtorch(), name, sha256);
    }

    /** Answers so far with this status on this route. */
    public long responses(String route, int status) {
        return (long) requests.labelValues(route, Integer.toString(status)).get();
    }

    /** Every metric in the Prometheus text format (version 0.0.4). */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
        try {
            new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The content type of {@link #scrape()}. */
    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }
}
