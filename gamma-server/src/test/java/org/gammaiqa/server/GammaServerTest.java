package org.gammaiqa.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.scoring.CropPolicy;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoreResult;
import org.gammaiqa.scoring.ScoringOptions;
import org.gammaiqa.loadtest.LoadTest;
import org.gammaiqa.testing.TestAssets;
import org.gammaiqa.text.Scene;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The service on the micro fixture, on a free loopback port: API, errors, metrics, load, shutdown. */
class GammaServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static GammaServer server;
    private static GammaScorer reference;

    static Path model() {
        return TestAssets.fixture("micro-fp16").resolve("gamma.pth");
    }

    static Path image(int i) {
        return TestAssets.fixtures().resolve("images").resolve("scene" + i + ".png");
    }

    static ServerConfig config() {
        return ServerConfig.defaults().withAddress("127.0.0.1", 0).withApiKey("sesame")
                .withLimits(new ServerConfig.Limits(1 << 20, 40_000_000L, 4, 64, 64 << 20));
    }

    @BeforeAll
    static void start() throws Exception {
        server = GammaServer.start(config());
        server.ready(GammaScorer.load(model(), TestAssets.vocabulary()));
        reference = GammaScorer.load(model(), TestAssets.vocabulary());
    }

    @AfterAll
    static void stop() throws Exception {
        assertThat(server.shutdown(Duration.ofSeconds(10))).isTrue();
        reference.close();
    }

    static URI uri(GammaServer s, String path) {
        return URI.create("http://127.0.0.1:" + s.address().getPort() + path);
    }

    static HttpResponse<String> post(GammaServer s, String path, String contentType, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(s, path)).header("Content-Type", contentType).header("X-API-Key", "sesame")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(GammaServer s, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(s, path)).header("X-API-Key", "sesame").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void rawImageScoreEqualsTheLibrarysForTheSameSceneCropsAndSeed() throws Exception {
        HttpResponse<String> r = post(server, "/v1/score?scene=natural&crops=5&seed=7", "image/png", Files.readAllBytes(image(1)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(r.body()).get("results").get(0);
        ScoreResult expected = reference.score(new ImageDecoder().decode(image(1)),
                new ScoringOptions(Scene.NATURAL.prompts(), CropPolicy.parse("5"), 7));
        System.out.printf("service vs library: difference %.3g%n", Math.abs(result.get("score").asDouble() - expected.score()));
        assertThat(result.get("score").asDouble()).isCloseTo(expected.score(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(result.get("levels")).hasSize(5);
        assertThat(result.get("scene").asText()).isEqualTo("natural");
        assertThat(result.get("crops").asInt()).isEqualTo(5);
        assertThat(result.get("model").get("name").asText()).isEqualTo("gamma.pth");
        assertThat(result.get("model").get("sha256").asText()).hasSize(64);
        assertThat(result.get("elapsed_ms").asDouble()).isPositive();
    }

    @Test
    void multipartScoresEveryFileInOrderWithFormFields() throws Exception {
        String boundary = "XyZ";
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            chunks.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"s" + i
                    + ".png\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            chunks.add(Files.readAllBytes(image(i)));
            chunks.add("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        chunks.add(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"scene\"\r\n\r\naigc\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.UTF_8));
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        chunks.forEach(body::writeBytes);
        HttpResponse<String> r = post(server, "/v1/score", "multipart/form-data; boundary=" + boundary, body.toByteArray());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode results = JSON.readTree(r.body()).get("results");
        JsonNode expected = JSON.readTree(TestAssets.fixture("micro-fp16").resolve("scores.json").toFile()).get("aigc");
        for (int i = 0; i < 3; i++) {
            assertThat(results.get(i).get("name").asText()).isEqualTo("s" + i + ".png");
            assertThat(results.get(i).get("scene").asText()).isEqualTo("aigc");
            assertThat(results.get(i).get("score").asDouble())
                    .isCloseTo(expected.get("scene" + i + ".png").asDouble(), org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void customPromptsScoreLikeTheSceneWithTheSameTextAndBadOnesAreRefused() throws Exception {
        byte[] png = Files.readAllBytes(image(1));
        String natural = String.join("\n", Scene.NATURAL.prompts().prompts());
        JsonNode scene = JSON.readTree(post(server, "/v1/score?scene=natural&crops=center", "image/png", png).body()).get("results").get(0);
        HttpResponse<String> r = post(server, "/v1/score?crops=center&prompts="
                + java.net.URLEncoder.encode(natural, StandardCharsets.UTF_8), "image/png", png);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode custom = JSON.readTree(r.body()).get("results").get(0);
        assertThat(custom.get("scene").asText()).isEqualTo("custom");
        assertThat(custom.get("score").asDouble()).isEqualTo(scene.get("score").asDouble());

        String boundary = "PrOmPtS";
        java.io.ByteArrayOutputStream form = new java.io.ByteArrayOutputStream();
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"prompts\"\r\n\r\n" + natural.replace("\n", "\r\n")
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"crops\"\r\n\r\ncenter\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        form.writeBytes(png);
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> fromForm = post(server, "/v1/score", "multipart/form-data; boundary=" + boundary, form.toByteArray());
        assertThat(fromForm.statusCode()).as(fromForm.body()).isEqualTo(200);
        assertThat(JSON.readTree(fromForm.body()).get("results").get(0).get("score").asDouble()).isEqualTo(scene.get("score").asDouble());

        assertThat(post(server, "/v1/score?prompts=bad%0Agood", "image/png", png)).satisfies(bad -> {
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("2 lines").contains("five");
        });
        String tooLong = java.net.URLEncoder.encode("bad " + "very ".repeat(80) + "\npoor\nfair\ngood\nperfect", StandardCharsets.UTF_8);
        assertThat(post(server, "/v1/score?crops=center&prompts=" + tooLong, "image/png", png)).satisfies(bad -> {
            assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
            assertThat(bad.body()).contains("77");
        });
    }

    @Test
    void theWebPageIsServedWholeWithoutExternalResources() throws Exception {
        HttpResponse<String> page = get(server, "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<script>").contains("v1/score").contains("gamma-demo").contains("v1/map")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("src=\"//");
    }

    @Test
    void badRequestsGetTheirStatusAndAReason() throws Exception {
        byte[] png = Files.readAllBytes(image(0));
        assertThat(post(server, "/v1/score", "image/png", new byte[0])).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("empty");
        });
        assertThat(post(server, "/v1/score", "image/png", Arrays.copyOf(png, png.length / 3)).statusCode()).isEqualTo(400);
        assertThat(post(server, "/v1/score", "text/plain", png)).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(415);
            assertThat(r.body()).contains("text/plain");
        });
        assertThat(post(server, "/v1/score?scene=moon", "image/png", png)).satisfies(r -> {
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("moon").contains("aesthetic");
        });
        assertThat(post(server, "/v1/score?crops=1000", "image/png", png).statusCode()).isEqualTo(400);
        assertThat(post(server, "/v1/score", "multipart/form-data; boundary=abc", "--abc\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\ntruncated"
                .getBytes(StandardCharsets.UTF_8)).body()).contains("not closed by the boundary");
        HttpResponse<String> noKey = HTTP.send(HttpRequest.newBuilder(uri(server, "/v1/score")).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(get(server, "/v1/score").statusCode()).isEqualTo(405);
        assertThat(get(server, "/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void probesMetricsAndOpenApi() throws Exception {
        assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(server, "/readyz").body()).contains("ready").contains("sha256");
        assertThat(JSON.readTree(get(server, "/openapi.json").body()).get("paths").has("/v1/score")).isTrue();
        post(server, "/v1/score", "image/png", Files.readAllBytes(image(2)));
        String metrics = get(server, "/metrics").body();
        assertThat(metrics).contains("gamma_http_requests_total{route=\"/v1/score\",status=\"200\"}")
                .contains("gamma_http_request_duration_seconds_bucket{route=\"/v1/score\",status=\"200\",le=\"+Inf\"}").contains("gamma_queue_depth ")
                .contains("gamma_batch_size_count ").contains("gamma_images_scored_total ");
    }

    @Test
    void notReadyUntilTheModelIsGiven() throws Exception {
        GammaServer loading = GammaServer.start(config());
        try {
            assertThat(get(loading, "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(loading, "/readyz").statusCode()).isEqualTo(503);
            HttpResponse<String> r = post(loading, "/v1/score", "image/png", Files.readAllBytes(image(0)));
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
        } finally {
            loading.shutdown(Duration.ofSeconds(1));
        }
    }

    @Test
    void loadTestLosesNothingAndBatchingKeepsScores() throws Exception {
        List<byte[]> images = List.of(Files.readAllBytes(image(0)), Files.readAllBytes(image(1)), Files.readAllBytes(image(2)));
        LoadTest.Report r = LoadTest.run(new LoadTest.Settings(uri(server, "/"), "seed=0", 16, 96, 6, Duration.ofSeconds(30), "sesame", 0), images);
        System.out.print(LoadTest.format(r));
        assertThat(r.lost()).isZero();
        assertThat(r.unexpected()).isZero();
        assertThat(r.healthyAfter()).isTrue();
        assertThat(r.scoreSpread()).isLessThanOrEqualTo(1e-6);
        JsonNode expected = JSON.readTree(TestAssets.fixture("micro-fp16").resolve("scores.json").toFile()).get("generic");
        for (int i = 0; i < 3; i++) {
            assertThat(r.scores().get(i)).isCloseTo(expected.get("scene" + i + ".png").asDouble(), org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterAndAPassedDeadline504() throws Exception {
        GammaServer tight = GammaServer.start(config().withBatching(new ServerConfig.Batching(1, Duration.ZERO, 1)));
        GammaServer hurried = GammaServer.start(config().withDeadline(Duration.ofMillis(1)));
        try {
            tight.ready(GammaScorer.load(model(), TestAssets.vocabulary()));
            hurried.ready(GammaScorer.load(model(), TestAssets.vocabulary()));
            byte[] png = Files.readAllBytes(image(2));
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                sent.add(HTTP.sendAsync(HttpRequest.newBuilder(uri(tight, "/v1/score")).header("Content-Type", "image/png")
                        .header("X-API-Key", "sesame").POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            int full = 0;
            for (CompletableFuture<HttpResponse<String>> f : sent) {
                HttpResponse<String> r = f.join();
                assertThat(r.statusCode()).isIn(200, 503);
                if (r.statusCode() == 503) {
                    full++;
                    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
                    assertThat(r.body()).contains("queue is full");
                }
            }
            System.out.printf("queue of 1, 16 concurrent requests: %d refused with 503%n", full);
            assertThat(full).isPositive();
            HttpResponse<String> late = post(hurried, "/v1/score", "image/png", png);
            assertThat(late.statusCode()).isEqualTo(504);
            assertThat(late.body()).contains("deadline of 1 ms");
        } finally {
            tight.shutdown(Duration.ofSeconds(5));
            hurried.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void shutdownAnswersEveryAcceptedRequest() throws Exception {
        GammaServer s = GammaServer.start(config().withBatching(new ServerConfig.Batching(2, Duration.ofMillis(20), 8)));
        s.ready(GammaScorer.load(model(), TestAssets.vocabulary()));
        byte[] png = Files.readAllBytes(image(0));
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            sent.add(HTTP.sendAsync(HttpRequest.newBuilder(uri(s, "/v1/score")).header("Content-Type", "image/png")
                    .header("X-API-Key", "sesame").POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        while (s.metrics().responses("/v1/score", 200) == 0) {
            Thread.sleep(5);
        }
        assertThat(s.shutdown(Duration.ofSeconds(20))).isTrue();
        int ok = 0;
        int refused = 0;
        int lost = 0;
        for (CompletableFuture<HttpResponse<String>> f : sent) {
            try {
                int status = f.join().statusCode();
                ok += status == 200 ? 1 : 0;
                refused += status == 503 ? 1 : 0;
            } catch (Exception e) {
                lost++; // refused at the socket after the listener closed: never accepted
            }
        }
        System.out.printf("shutdown under load: %d scored, %d refused with 503, %d not accepted%n", ok, refused, lost);
        assertThat(ok).isPositive();
        assertThat(ok + refused + lost).isEqualTo(24);
    }
}
