package org.gammaiqa.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.ImageOps;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.map.QualityMap;
import org.gammaiqa.map.QualityMapper;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoringOptions;
import org.gammaiqa.testing.TestAssets;
import org.gammaiqa.text.Scene;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/map} on the micro fixture: the grid as JSON or a PNG, its parameters, and the shared back-pressure. */
class MapEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static GammaServer server;
    private static GammaScorer reference;
    private static RgbImage wide;
    private static byte[] widePng;

    @BeforeAll
    static void start() throws Exception {
        server = GammaServer.start(GammaServerTest.config());
        server.ready(GammaScorer.load(GammaServerTest.model(), TestAssets.vocabulary()));
        reference = GammaScorer.load(GammaServerTest.model(), TestAssets.vocabulary());
        wide = ImageOps.resizeBicubic(new ImageDecoder().decode(GammaServerTest.image(1)), 500, 300);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(wide.toBufferedImage(), "png", png);
        widePng = png.toByteArray();
    }

    @AfterAll
    static void stop() throws Exception {
        assertThat(server.shutdown(Duration.ofSeconds(10))).isTrue();
        reference.close();
    }

    private static HttpRequest.Builder mapRequest(GammaServer s, String query) {
        return HttpRequest.newBuilder(GammaServerTest.uri(s, "/v1/map" + query)).header("Content-Type", "image/png")
                .header("X-API-Key", "sesame").POST(HttpRequest.BodyPublishers.ofByteArray(widePng));
    }

    @Test
    void theJsonGridIsTheLibrarysMap() throws Exception {
        HttpResponse<String> r = HTTP.send(mapRequest(server, "?scene=natural&stride=100").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode json = JSON.readTree(r.body());
        ScoringOptions options = ScoringOptions.defaults().withPrompts(Scene.NATURAL.prompts());
        QualityMap expected = new QualityMapper(reference).map(wide, options, 100);
        assertThat(json.fieldNames()).toIterable().containsExactly("name", "width", "height", "scene", "window", "stride",
                "score", "cells", "rows", "cols", "min", "max", "model", "elapsed_ms");
        assertThat(json.get("name").asText()).isEqualTo("body");
        assertThat(json.get("stride").asInt()).isEqualTo(100);
        assertThat(json.get("rows").asInt()).isEqualTo(expected.rows());
        assertThat(json.get("cols").asInt()).isEqualTo(expected.cols());
        assertThat(json.get("score").asDouble()).isCloseTo(expected.whole().score(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(json.get("cells")).hasSize(expected.cells().size());
        double largest = 0;
        for (int i = 0; i < expected.cells().size(); i++) {
            JsonNode cell = json.get("cells").get(i);
            QualityMap.Cell want = expected.cells().get(i);
            assertThat(List.of(cell.get("x").asInt(), cell.get("y").asInt(), cell.get("w").asInt(), cell.get("h").asInt()))
                    .containsExactly(want.x(), want.y(), want.w(), want.h());
            largest = Math.max(largest, Math.abs(cell.get("score").asDouble() - want.score()));
        }
        System.out.printf("/v1/map vs the library: largest window difference %.2e%n", largest);
        assertThat(largest).isLessThan(1e-6);
        assertThat(json.get("model").get("sha256").asText()).isEqualTo(reference.source().sha256());
        assertThat(GammaServerTest.get(server, "/metrics").body()).contains("gamma_http_requests_total{route=\"/v1/map\",status=\"200\"}");
    }

    @Test
    void acceptImagePngGetsTheRenderedMap() throws Exception {
        HttpResponse<byte[]> r = HTTP.send(mapRequest(server, "").header("Accept", "image/png").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("image/png");
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertThat(png.getWidth()).isEqualTo(500);
        assertThat(png.getHeight()).isGreaterThan(300);
    }

    @Test
    void aMultipartFormWithOneFileIsMappedAndBadParametersAreRefused() throws Exception {
        String form = "--B\r\nContent-Disposition: form-data; name=\"image\"; filename=\"w.png\"\r\nContent-Type: image/png\r\n\r\n";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(form.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(widePng);
        body.writeBytes("\r\n--B\r\nContent-Disposition: form-data; name=\"stride\"\r\n\r\n224\r\n--B--\r\n".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = GammaServerTest.post(server, "/v1/map", "multipart/form-data; boundary=B", body.toByteArray());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("name").asText()).isEqualTo("w.png");
        assertThat(JSON.readTree(r.body()).get("cols").asInt()).isEqualTo(3);

        ByteArrayOutputStream two = new ByteArrayOutputStream();
        for (int i = 0; i < 2; i++) {
            two.writeBytes(form.getBytes(StandardCharsets.UTF_8));
            two.writeBytes(widePng);
            two.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        two.writeBytes("--B--\r\n".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> twoImages = GammaServerTest.post(server, "/v1/map", "multipart/form-data; boundary=B", two.toByteArray());
        assertThat(twoImages.statusCode()).isEqualTo(400);
        assertThat(twoImages.body()).contains("takes one image");

        for (String query : List.of("?stride=15", "?stride=225", "?stride=1.5", "?stride=abc", "?crops=5", "?scene=moon")) {
            HttpResponse<String> bad = HTTP.send(mapRequest(server, query).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).as(query + ": " + bad.body()).isEqualTo(400);
        }
        assertThat(HTTP.send(mapRequest(server, "?stride=15").build(), HttpResponse.BodyHandlers.ofString()).body())
                .contains("16 to 224");
        HttpResponse<String> text = GammaServerTest.post(server, "/v1/map", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(text.statusCode()).isEqualTo(415);
        HttpResponse<String> get = GammaServerTest.get(server, "/v1/map");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        JsonNode openApi = JSON.readTree(GammaServerTest.get(server, "/openapi.json").body());
        assertThat(openApi.get("paths").get("/v1/map").get("post").get("responses").get("200").get("content").has("image/png")).isTrue();
    }

    @Test
    void theSizeLimitsOfScoreApply() throws Exception {
        GammaServer small = GammaServer.start(GammaServerTest.config().withLimits(new ServerConfig.Limits(1 << 20, 100_000L, 4, 64, 64 << 20)));
        try {
            small.ready(GammaScorer.load(GammaServerTest.model(), TestAssets.vocabulary()));
            HttpResponse<String> r = HTTP.send(mapRequest(small, "").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(413); // 500×300 = 150,000 pixels
            GammaServer tinyBody = GammaServer.start(GammaServerTest.config().withLimits(new ServerConfig.Limits(1000, 40_000_000L, 4, 64, 64 << 20)));
            try {
                tinyBody.ready(GammaScorer.load(GammaServerTest.model(), TestAssets.vocabulary()));
                // over the body limit: refused from Content-Length, before the body is sent (a raw socket, so that the
                // test reads the answer before writing a body the service will not read)
                try (Socket s = new Socket("127.0.0.1", tinyBody.address().getPort())) {
                    s.getOutputStream().write(("POST /v1/map HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: sesame\r\nContent-Type: image/png\r\n"
                            + "Content-Length: " + widePng.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    RawHttp.Answer a = RawHttp.read(s.getInputStream());
                    assertThat(a.status()).isEqualTo(413);
                    assertThat(a.text()).contains("over the limit of 1000 bytes");
                }
            } finally {
                tinyBody.shutdown(Duration.ofSeconds(5));
            }
        } finally {
            small.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void mapsShareTheQueueBoundWithScores503AndTheDeadline504() throws Exception {
        GammaServer tight = GammaServer.start(GammaServerTest.config().withBatching(new ServerConfig.Batching(1, Duration.ZERO, 1)));
        GammaServer hurried = GammaServer.start(GammaServerTest.config().withDeadline(Duration.ofMillis(1)));
        try {
            tight.ready(GammaScorer.load(GammaServerTest.model(), TestAssets.vocabulary()));
            hurried.ready(GammaScorer.load(GammaServerTest.model(), TestAssets.vocabulary()));
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                sent.add(HTTP.sendAsync(mapRequest(tight, "").build(), HttpResponse.BodyHandlers.ofString()));
            }
            int full = 0;
            for (CompletableFuture<HttpResponse<String>> f : sent) {
                HttpResponse<String> r = f.join();
                assertThat(r.statusCode()).as(r.body()).isIn(200, 503);
                if (r.statusCode() == 503) {
                    full++;
                    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
                    assertThat(r.body()).contains("queue is full");
                } else {
                    assertThat(JSON.readTree(r.body()).get("cells")).hasSize(8);
                }
            }
            System.out.printf("queue of 1, 12 concurrent map requests: %d refused with 503%n", full);
            assertThat(full).isPositive().isLessThan(12);
            HttpResponse<String> late = HTTP.send(mapRequest(hurried, "").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(late.statusCode()).isEqualTo(504);
            assertThat(late.body()).contains("deadline of 1 ms");
        } finally {
            tight.shutdown(Duration.ofSeconds(5));
            hurried.shutdown(Duration.ofSeconds(5));
        }
    }
}
