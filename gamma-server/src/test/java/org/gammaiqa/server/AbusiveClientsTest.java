package org.gammaiqa.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.loadtest.SlowClients;
import org.gammaiqa.testing.TestAssets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service against clients that trickle headers, trickle bodies, send too much, pipeline, chunk or
 * keep connections open, on loopback with a 1.5 s header timeout: it keeps answering everyone else and
 * closes what it must. Each test is bounded to a few seconds.
 */
class AbusiveClientsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(1500);
    private static final long MIN_BODY_RATE = 20_000;
    private static GammaServer server;
    private static byte[] png;

    @BeforeAll
    static void start() throws Exception {
        server = GammaServer.start(GammaServerTest.config().withApiKey(null)
                .withConnections(new ServerConfig.Connections(HEADER_TIMEOUT, Duration.ofSeconds(5), 1024, MIN_BODY_RATE)));
        server.ready(GammaScorer.load(GammaServerTest.model(), TestAssets.vocabulary()));
        png = Files.readAllBytes(GammaServerTest.image(0));
    }

    @AfterAll
    static void stop() throws Exception {
        assertThat(server.shutdown(Duration.ofSeconds(10))).isTrue();
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.address().getPort()), 2000);
        s.setSoTimeout(5000);
        return s;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A fresh client (no pooled connection) that gives up after one second. */
    private static HttpResponse<String> withinOneSecond(HttpRequest.Builder request) throws Exception {
        return within(Duration.ofSeconds(1), request);
    }

    private static HttpResponse<String> within(Duration timeout, HttpRequest.Builder request) throws Exception {
        HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        return fresh.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void threeHundredSlowHeaderClientsStopNobodyAndAreClosedWithinTheHeaderTimeout() throws Exception {
        URI base = URI.create("http://127.0.0.1:" + server.address().getPort());
        // warm up: the first forward pass of a scorer is slow, and not what this test is about
        assertThat(within(Duration.ofSeconds(30), HttpRequest.newBuilder(base.resolve("/v1/score?crops=center")).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(png))).statusCode()).isEqualTo(200);
        // one header byte per connection every 100 ms: each byte restarts an idle timeout, never the header deadline
        try (SlowClients slow = SlowClients.open(base, 300, 0)) {
            assertThat(slow.stillOpen()).isEqualTo(300);
            long t0 = System.nanoTime();
            HttpResponse<String> health = withinOneSecond(HttpRequest.newBuilder(base.resolve("/healthz")).GET());
            long t1 = System.nanoTime();
            HttpResponse<String> scored = withinOneSecond(HttpRequest.newBuilder(base.resolve("/v1/score?crops=center"))
                    .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png)));
            long t2 = System.nanoTime();
            int held = slow.stillOpen();
            System.out.printf("with %d slow-header connections held: /healthz %d in %.0f ms, /v1/score %d in %.0f ms%n",
                    held, health.statusCode(), (t1 - t0) / 1e6, scored.statusCode(), (t2 - t1) / 1e6);
            assertThat(held).as("the slow connections were all still held while /healthz and /v1/score were tried").isEqualTo(300);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(scored.statusCode()).as(scored.body()).isEqualTo(200);
            assertThat(JSON.readTree(scored.body()).get("results").get(0).get("score").asDouble()).isBetween(0.0, 1.0);

            long[] closedMs = slow.finish(HEADER_TIMEOUT.toMillis() + 2000).headerCloseMs();
            long stillOpen = Arrays.stream(closedMs).filter(t -> t == 0).count();
            long first = Arrays.stream(closedMs).filter(t -> t > 0).min().orElse(0);
            long last = Arrays.stream(closedMs).max().orElse(0);
            System.out.printf("slow-header connections closed by the server between %d and %d ms after opening (header timeout %d ms); %d still open%n",
                    first, last, HEADER_TIMEOUT.toMillis(), stillOpen);
            assertThat(stillOpen).isZero();
            assertThat(first).isGreaterThanOrEqualTo(HEADER_TIMEOUT.toMillis() - 100);
        }
    }

    @Test
    void aBodyBelowTheMinimumRateIsAnswered408AndItsConnectionClosed() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(ascii("POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n"));
            AtomicLong sent = new AtomicLong();
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 50; i++) {
                        out.write(new byte[100]);
                        sent.addAndGet(100);
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection, as it should
                }
            });
            trickle.start();
            long t0 = System.nanoTime();
            RawHttp.Answer a = RawHttp.read(s.getInputStream());
            System.out.printf("body at ~1000 bytes/s (minimum %d): %d after %.0f ms, %d bytes sent; %s%n",
                    MIN_BODY_RATE, a.status(), (System.nanoTime() - t0) / 1e6, sent.get(), a.text());
            assertThat(a.status()).isEqualTo(408);
            assertThat(a.text()).contains("below the minimum");
            assertThat(a.headers().get("connection")).isEqualTo("close");
            assertThat(s.getInputStream().read()).as("connection closed after the 408").isEqualTo(-1);
            trickle.interrupt();
            trickle.join();
        }
    }

    @Test
    void anOversizedBodyIsRefusedBeforeItIsSentWhole() throws Exception {
        // declared: refused from Content-Length, after a first 64 KiB of a 100 MiB body
        try (Socket s = connect()) {
            s.getOutputStream().write(ascii("POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\nContent-Length: "
                    + (100 << 20) + "\r\n\r\n"));
            s.getOutputStream().write(new byte[64 << 10]);
            RawHttp.Answer a = RawHttp.read(s.getInputStream());
            assertThat(a.status()).isEqualTo(413);
            assertThat(a.text()).contains("over the limit of 1048576 bytes");
            assertThat(a.headers().get("connection")).isEqualTo("close");
        }
        // chunked: no length to read; refused at the first byte past the limit while chunks keep coming
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(ascii("POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n"));
            AtomicLong sent = new AtomicLong();
            Thread stream = new Thread(() -> {
                byte[] chunk = new byte[64 << 10];
                try {
                    for (int i = 0; i < 64; i++) { // 4 MiB at most, four times the limit
                        out.write(ascii(Integer.toHexString(chunk.length) + "\r\n"));
                        out.write(chunk);
                        out.write(ascii("\r\n"));
                        sent.addAndGet(chunk.length);
                        Thread.sleep(20);
                    }
                } catch (IOException | InterruptedException e) {
                    // refused and closed: what this test expects
                }
            });
            stream.start();
            RawHttp.Answer a = RawHttp.read(s.getInputStream());
            long at = sent.get();
            stream.interrupt();
            stream.join();
            System.out.printf("chunked body over a 1 MiB limit: %d after %d KiB sent%n", a.status(), at >> 10);
            assertThat(a.status()).isEqualTo(413);
            assertThat(at).isLessThan(4L << 20);
        }
    }

    @Test
    void keepAlivePipeliningAndChunkedUploadsWork() throws Exception {
        byte[] post = ascii("POST /v1/score?crops=center HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\nContent-Length: "
                + png.length + "\r\n\r\n");
        ByteArrayOutputStream pipelined = new ByteArrayOutputStream();
        pipelined.writeBytes(ascii("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        pipelined.writeBytes(post);
        pipelined.writeBytes(png);
        pipelined.writeBytes(ascii("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        try (Socket s = connect()) {
            s.getOutputStream().write(pipelined.toByteArray()); // three requests in one write
            InputStream in = s.getInputStream();
            assertThat(RawHttp.read(in).status()).isEqualTo(200);
            RawHttp.Answer scored = RawHttp.read(in);
            assertThat(scored.status()).as(scored.text()).isEqualTo(200);
            double raw = JSON.readTree(scored.body()).get("results").get(0).get("score").asDouble();
            assertThat(RawHttp.read(in).text()).contains("ready");

            // the same connection again (keep-alive), now with a chunked body in uneven chunks
            OutputStream out = s.getOutputStream();
            out.write(ascii("POST /v1/score?crops=center HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n"));
            for (int at = 0, step = 7; at < png.length; at += step, step = step * 3 + 1) {
                int n = Math.min(step, png.length - at);
                out.write(ascii(Integer.toHexString(n) + "\r\n"));
                out.write(png, at, n);
                out.write(ascii("\r\n"));
            }
            out.write(ascii("0\r\n\r\n"));
            RawHttp.Answer chunked = RawHttp.read(in);
            assertThat(chunked.status()).as(chunked.text()).isEqualTo(200);
            JsonNode result = JSON.readTree(chunked.body()).get("results").get(0);
            assertThat(result.get("score").asDouble()).isEqualTo(raw);

            // an idle kept-alive connection is closed once the next request's headers are overdue
            long t0 = System.nanoTime();
            assertThat(in.read()).isEqualTo(-1);
            long idleMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("idle keep-alive connection closed after %d ms (header timeout %d ms)%n", idleMs, HEADER_TIMEOUT.toMillis());
            assertThat(idleMs).isGreaterThanOrEqualTo(HEADER_TIMEOUT.toMillis() - 200);
        }
    }

    @Test
    void bodiesArrivingTogetherAreHeldUpToTheBudgetAndBeyondItRefused503() throws Exception {
        ServerConfig.Limits oneMiB = new ServerConfig.Limits(1 << 20, 40_000_000L, 4, 64, 1 << 20);
        GammaServer tight = GammaServer.start(GammaServerTest.config().withApiKey(null).withLimits(oneMiB));
        try (Socket first = new Socket("127.0.0.1", tight.address().getPort())) {
            first.setSoTimeout(5000);
            tight.ready(GammaScorer.load(GammaServerTest.model(), TestAssets.vocabulary()));
            first.getOutputStream().write(ascii("POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\nContent-Length: "
                    + (900 << 10) + "\r\n\r\n"));
            first.getOutputStream().write(new byte[700 << 10]); // held by the service while the rest is awaited
            Thread.sleep(500);
            URI score = URI.create("http://127.0.0.1:" + tight.address().getPort() + "/v1/score?crops=center");
            HttpResponse<String> refused = within(Duration.ofSeconds(10), HttpRequest.newBuilder(score).header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[500 << 10])));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.body()).contains("more request bodies than it can hold");
            first.getOutputStream().write(new byte[200 << 10]);
            assertThat(RawHttp.read(first.getInputStream()).status()).as("the first body, whole: zeros, not an image").isEqualTo(400);
            HttpResponse<String> scored = within(Duration.ofSeconds(30), HttpRequest.newBuilder(score).header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(png)));
            assertThat(scored.statusCode()).as("the budget is given back once answered: " + scored.body()).isEqualTo(200);
        } finally {
            tight.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void aRequestRefusedBeforeItsBodyArrivedLeavesTheConnectionUsable() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            int length = 12 * (64 << 10);
            out.write(ascii("POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: " + length + "\r\n\r\n"));
            Thread upload = new Thread(() -> {
                try {
                    for (int sent = 0; sent < length; sent += 64 << 10) {
                        out.write(new byte[64 << 10]);
                        Thread.sleep(20);
                    }
                    out.write(ascii("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
                } catch (IOException | InterruptedException e) {
                    // the assertions below say what went wrong
                }
            });
            upload.start();
            InputStream in = s.getInputStream();
            RawHttp.Answer refused = RawHttp.read(in);
            assertThat(refused.status()).isEqualTo(415);
            assertThat(refused.headers()).doesNotContainKey("connection");
            assertThat(RawHttp.read(in).text()).contains("ok");
            upload.join();
        }
    }

    @Test
    void badContentTypesMalformedFormsAndOversizedHeadersAreRefusedCleanly() throws Exception {
        URI score = URI.create("http://127.0.0.1:" + server.address().getPort() + "/v1/score");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        record Case(String contentType, byte[] body, int status, String says) {}
        List<Case> cases = List.of(
                new Case("text/plain", png, 415, "text/plain"),
                new Case("application/json", ascii("{}"), 415, "application/json"),
                new Case("multipart/form-data", png, 400, "no valid boundary"),
                new Case("multipart/form-data; boundary=zz", ascii("no boundary in here"), 400, "does not contain its boundary"),
                new Case("multipart/form-data; boundary=zz", ascii("--zz\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\nabc"),
                        400, "not closed by the boundary"),
                new Case("multipart/form-data; boundary=zz", ascii("--zz\r\nContent-Type: image/png\r\n\r\nabc\r\n--zz--\r\n"), 400, "no Content-Disposition"),
                new Case("multipart/form-data; boundary=zz", ascii("--zz\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.txt\"\r\n"
                        + "Content-Type: text/plain\r\n\r\nabc\r\n--zz--\r\n"), 415, "a.txt"));
        for (Case c : cases) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(score).header("Content-Type", c.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(c.body())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(c.contentType() + " → " + r.body()).isEqualTo(c.status());
            assertThat(JSON.readTree(r.body()).get("error").asText()).contains(c.says());
        }
        try (Socket s = connect()) {
            s.getOutputStream().write(ascii("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Junk: " + "a".repeat(64 << 10) + "\r\n\r\n"));
            RawHttp.Answer a = RawHttp.read(s.getInputStream());
            assertThat(a.status()).isEqualTo(431);
            assertThat(JSON.readTree(a.body()).get("error").asText()).contains("8 KiB");
        }
        try (Socket s = connect()) {
            s.getOutputStream().write(ascii("THIS IS NOT HTTP\r\n\r\n"));
            RawHttp.Answer a = RawHttp.read(s.getInputStream());
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.headers().get("content-type")).isEqualTo("application/json");
            assertThat(JSON.readTree(a.body()).get("status").asInt()).isEqualTo(400);
        }
        assertThat(withinOneSecond(HttpRequest.newBuilder(score.resolve("/healthz")).GET()).statusCode()).isEqualTo(200);
    }
}
