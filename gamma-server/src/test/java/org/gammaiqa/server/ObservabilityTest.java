package org.gammaiqa.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.gammaiqa.loadtest.LoadTest;
import org.gammaiqa.loadtest.Payload;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.testing.TestAssets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What an operator sees of the service: the access log (one line per request, with its id), a 500 logged with its
 * stack trace and id, {@code /metrics} parsed strictly during a load test with counters equal to what was sent, the
 * API key on {@code /metrics} as configured, and the drain delay ({@code /readyz} 503 while requests are served).
 */
class ObservabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Collects the events of a logger while {@code body} runs. */
    private static List<ILoggingEvent> logged(String logger, Level level, ThrowingRunnable body) throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(logger);
        Level before = log.getLevel();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        log.addAppender(events);
        log.setLevel(level);
        try {
            body.run();
        } finally {
            log.detachAppender(events);
            log.setLevel(before);
        }
        synchronized (events.list) {
            return List.copyOf(events.list);
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static HttpResponse<String> post(GammaServer s, String path, byte[] body, String requestId) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(GammaServerTest.uri(s, path)).header("Content-Type", "image/png")
                .header("X-API-Key", "sesame").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (requestId != null) {
            r.header("X-Request-Id", requestId);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyRequestGetsOneAccessLogLineWithItsIdAndA500IsLoggedWithItsTrace() throws Exception {
        GammaServer s = GammaServer.start(GammaServerTest.config());
        try {
            s.ready(GammaScorer.load(GammaServerTest.model(), TestAssets.vocabulary()));
            byte[] png = Files.readAllBytes(GammaServerTest.image(0));
            List<HttpResponse<String>> answers = new ArrayList<>();
            List<ILoggingEvent> access = logged(AccessLog.LOGGER, Level.INFO, () -> {
                answers.add(post(s, "/v1/score?crops=center", png, "client-id-1"));
                answers.add(post(s, "/v1/score?crops=center", png, null));
                answers.add(post(s, "/v1/score", "not an image".getBytes(), null));
                answers.add(post(s, "/v1/score", png, "has spaces, so replaced"));
                answers.add(HTTP.send(HttpRequest.newBuilder(GammaServerTest.uri(s, "/nowhere")).GET().build(), HttpResponse.BodyHandlers.ofString()));
                answers.add(HTTP.send(HttpRequest.newBuilder(GammaServerTest.uri(s, "/healthz")).GET().build(), HttpResponse.BodyHandlers.ofString()));
                Thread.sleep(200); // the request log is written once the answer is complete
            });
            access.forEach(e -> System.out.println("access log: " + e.getFormattedMessage() + "  mdc " + e.getMDCPropertyMap()));
            assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(200, 200, 400, 200, 404, 200);
            assertThat(access).hasSize(answers.size());
            Set<String> ids = new HashSet<>();
            for (HttpResponse<String> a : answers) {
                String id = a.headers().firstValue("X-Request-Id").orElseThrow();
                ids.add(id);
                List<ILoggingEvent> lines = access.stream().filter(e -> e.getFormattedMessage().contains(" " + id + " ")).toList();
                assertThat(lines).as("access-log lines with id %s", id).hasSize(1);
                assertThat(lines.get(0).getMDCPropertyMap()).containsEntry("request_id", id);
                assertThat(lines.get(0).getFormattedMessage()).contains("\" " + a.statusCode() + " ");
                if (a.statusCode() >= 400) {
                    assertThat(JSON.readTree(a.body()).get("request_id").asText()).isEqualTo(id);
                }
            }
            assertThat(ids).hasSize(answers.size()).contains("client-id-1").doesNotContain("has spaces, so replaced");

            // the model's forward pass throws: its native memory is gone, as after a crash of the native side
            s.ready(closed(GammaScorer.load(GammaServerTest.model(), TestAssets.vocabulary())));
            List<HttpResponse<String>> failed = new ArrayList<>();
            List<ILoggingEvent> errors = logged("org.gammaiqa.server", Level.INFO,
                    () -> failed.add(post(s, "/v1/score?crops=center", png, "forced-500")));
            HttpResponse<String> r = failed.get(0);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
            assertThat(r.headers().firstValue("X-Request-Id")).hasValue("forced-500");
            assertThat(JSON.readTree(r.body()).get("request_id").asText()).isEqualTo("forced-500");
            ILoggingEvent error = errors.stream().filter(e -> e.getLevel() == Level.ERROR).findFirst().orElseThrow();
            System.out.println("logged: " + error.getFormattedMessage() + " — " + error.getThrowableProxy().getClassName()
                    + ", " + error.getThrowableProxy().getStackTraceElementProxyArray().length + " frames, mdc " + error.getMDCPropertyMap());
            assertThat(error.getMDCPropertyMap()).containsEntry("request_id", "forced-500");
            assertThat(error.getFormattedMessage()).contains("/v1/score").contains("500");
            assertThat(error.getThrowableProxy()).isNotNull();
            assertThat(error.getThrowableProxy().getStackTraceElementProxyArray()).isNotEmpty();
        } finally {
            s.shutdown(Duration.ofSeconds(5));
        }
    }

    private static GammaScorer closed(GammaScorer scorer) {
        scorer.close();
        return scorer;
    }

    @Test
    void metricsScrapedDuringALoadTestParseStrictlyAndCountWhatWasSent() throws Exception {
        GammaServer s = GammaServer.start(GammaServerTest.config());
        try {
            s.ready(GammaScorer.load(GammaServerTest.model(), TestAssets.vocabulary()));
            List<byte[]> images = List.of(Files.readAllBytes(GammaServerTest.image(0)), Files.readAllBytes(GammaServerTest.image(1)));
            AtomicBoolean loading = new AtomicBoolean(true);
            List<Map<String, Double>> duringLoad = new ArrayList<>();
            HttpClient scraper = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            CompletableFuture<Void> scraping = CompletableFuture.runAsync(() -> {
                try {
                    while (loading.get()) {
                        HttpResponse<String> m = scraper.send(HttpRequest.newBuilder(GammaServerTest.uri(s, "/metrics")).GET().build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(m.statusCode()).as("/metrics without the API key (--metrics-need-key is off)").isEqualTo(200);
                        assertThat(m.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
                        duringLoad.add(PrometheusText.parse(m.body()));
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            LoadTest.Report r = LoadTest.run(new LoadTest.Settings(GammaServerTest.uri(s, "/"), "crops=center", 8, 64, 4,
                    Duration.ofSeconds(30), "sesame", 0), images);
            loading.set(false);
            scraping.join();
            System.out.print(LoadTest.format(r));
            assertThat(r.lost()).isZero();
            assertThat(duringLoad).as("scrapes during the load").hasSizeGreaterThan(1);

            Map<String, Double> after = PrometheusText.parse(GammaServerTest.get(s, "/metrics").body());
            // sent to /v1/score: one warm-up, the one-at-a-time baseline, then the load
            long scoreRequests = 1 + 4 + r.statuses().values().stream().mapToLong(Long::longValue).sum();
            long ok = 1 + 4 + r.statuses().getOrDefault(200, 0L);
            long validImages = 1 + 4 + r.byKind().getOrDefault(Payload.Kind.VALID_IMAGE, Map.of()).getOrDefault(200, 0L)
                    + 2 * r.byKind().getOrDefault(Payload.Kind.VALID_MULTIPART, Map.of()).getOrDefault(200, 0L);
            double counted = after.entrySet().stream().filter(e -> e.getKey().startsWith("gamma_http_requests_total{route=\"/v1/score\""))
                    .mapToDouble(Map.Entry::getValue).sum();
            System.out.printf("sent %d requests to /v1/score (%d answered 200, %d valid images): counted %.0f, 200s %.0f, images %.0f%n",
                    scoreRequests, ok, validImages, counted, after.get("gamma_http_requests_total{route=\"/v1/score\",status=\"200\"}"),
                    after.get("gamma_images_scored_total"));
            assertThat(counted).isEqualTo(scoreRequests);
            for (Map.Entry<Integer, Long> status : r.statuses().entrySet()) {
                long expected = status.getValue() + (status.getKey() == 200 ? 5 : 0);
                assertThat(after.get("gamma_http_requests_total{route=\"/v1/score\",status=\"" + status.getKey() + "\"}"))
                        .as("answers %d", status.getKey()).isEqualTo(expected);
            }
            assertThat(after.get("gamma_http_request_duration_seconds_count{route=\"/v1/score\",status=\"200\"}")).isEqualTo(ok);
            assertThat(after.get("gamma_images_scored_total")).isEqualTo(validImages);
            assertThat(after.get("gamma_batch_size_sum")).isEqualTo(validImages);
            assertThat(after.get("gamma_forward_duration_seconds_count")).isEqualTo(after.get("gamma_batch_size_count"));
            assertThat(after.get("gamma_http_requests_total{route=\"/healthz\",status=\"200\"}")).isEqualTo(r.healthProbes() + 1);
            assertThat(after.get("gamma_maps_total")).isZero();
            assertThat(after.get("gamma_http_requests_in_flight")).isEqualTo(1); // this scrape
            assertThat(after.get("gamma_queue_depth")).isZero();
            assertThat(after.keySet()).anyMatch(k -> k.startsWith("gamma_build_info{") && k.contains("model=\"gamma.pth\"")
                    && k.contains("version=\"0.1.0-SNAPSHOT\"") && k.contains("libtorch=\"2.7.1\"") && k.matches(".*model_sha256=\"[0-9a-f]{64}\".*"));
            assertThat(after).containsKeys("process_cpu_seconds_total", "jvm_threads_current", "jvm_memory_used_bytes{area=\"heap\"}");
        } finally {
            s.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void metricsNeedTheKeyOnlyWhenConfiguredAndMapsAreCountedApart() throws Exception {
        GammaServer keyed = GammaServer.start(GammaServerTest.config().withMetricsNeedKey(true));
        try {
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(GammaServerTest.uri(keyed, "/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(GammaServerTest.get(keyed, "/metrics").statusCode()).isEqualTo(200);

            keyed.ready(GammaScorer.load(GammaServerTest.model(), TestAssets.vocabulary()));
            HttpResponse<String> map = post(keyed, "/v1/map?stride=224", Files.readAllBytes(GammaServerTest.image(0)), null);
            assertThat(map.statusCode()).as(map.body()).isEqualTo(200);
            int windows = JSON.readTree(map.body()).get("cells").size();
            Map<String, Double> m = PrometheusText.parse(GammaServerTest.get(keyed, "/metrics").body());
            assertThat(m.get("gamma_maps_total")).isEqualTo(1);
            assertThat(m.get("gamma_map_windows_scored_total")).isEqualTo(windows);
            assertThat(m.get("gamma_images_scored_total")).isZero();
            assertThat(m.get("gamma_http_request_duration_seconds_count{route=\"/v1/map\",status=\"200\"}")).isEqualTo(1);
        } finally {
            keyed.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void duringTheDrainDelayReadyzIs503WhileRequestsAreStillScored() throws Exception {
        GammaServer s = GammaServer.start(GammaServerTest.config());
        s.ready(GammaScorer.load(GammaServerTest.model(), TestAssets.vocabulary()));
        byte[] png = Files.readAllBytes(GammaServerTest.image(0));
        assertThat(GammaServerTest.get(s, "/readyz").statusCode()).isEqualTo(200);
        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
            try {
                return s.drain(Duration.ofSeconds(2), Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(200);
        HttpResponse<String> ready = GammaServerTest.get(s, "/readyz");
        HttpResponse<String> scored = post(s, "/v1/score?crops=center", png, null);
        System.out.printf("in the drain delay: /readyz %d (%s), /v1/score %d%n", ready.statusCode(), ready.body(), scored.statusCode());
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(scored.statusCode()).as(scored.body()).isEqualTo(200);
        assertThat(drained).as("still serving within the delay").isNotDone();
        assertThat(drained.get()).as("every request answered").isTrue();
    }
}
