package org.gammaiqa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gammaiqa.testing.TestAssets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gamma serve} as a real process: its scores equal {@code gamma score}'s under a small load
 * test with slow clients trickling headers and bodies (all closed by the service), one access-log line per request
 * with its id, and SIGTERM in the middle of a burst answers every request the service accepted; configured by
 * environment variables alone, it listens where they say, logs JSON, and drains after its drain delay.
 */
class ServeCommandTest {
    private static final Pattern READY = Pattern.compile("ready at (http://127\\.0\\.0\\.1:\\d+)");
    private static final Pattern ACCESS_SCORE = Pattern.compile("\\[([0-9a-f-]{36})] access: .*\"POST /v1/score\\?seed=0 HTTP/1\\.1\" \\d{3} .* \\1 \\d+$");

    /** A {@code gamma serve} process and the thread that reads its standard error. */
    private record Served(Process process, Thread reader) {}

    /** {@code gamma serve ARGS} as a process with these environment variables added; its standard error goes to {@code stderr}. */
    private static Served serve(Map<String, String> environment, LinkedBlockingQueue<String> stderr, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), GammaCli.class.getName(), "serve"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process server = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    stderr.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return new Served(server, reader);
    }

    @Test
    void servesLikeTheCliUnderLoadAndDrainsOnSigterm(@TempDir Path tmp) throws Exception {
        Path model = ScoreCommandTest.model();
        Path images = TestAssets.fixtures().resolve("images");
        LinkedBlockingQueue<String> stderr = new LinkedBlockingQueue<>();
        Served served = serve(Map.of(), stderr, "--model", model.toString(), "--vocab", TestAssets.vocabulary().toString(),
                "--port", "0", "--queue", "16", "--header-timeout-s", "2");
        Process server = served.process();
        try {
            URI base = null;
            List<String> seen = new ArrayList<>();
            while (base == null) {
                String line = stderr.poll(60, TimeUnit.SECONDS);
                assertThat(line).as("gamma serve did not become ready; it said %s", seen).isNotNull();
                seen.add(line);
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    base = URI.create(m.group(1));
                }
            }

            Path expected = tmp.resolve("cli.jsonl");
            ScoreCommandTest.Run score = ScoreCommandTest.gamma("score", "--model", model.toString(), "--vocab",
                    TestAssets.vocabulary().toString(), "--format", "jsonl", "--out", expected.toString(), images.toString());
            assertThat(score.exit()).as(score.err()).isZero();
            ScoreCommandTest.Run load = ScoreCommandTest.gamma("loadtest", "--url", base.toString(), "--clients", "16",
                    "--requests", "48", "--sequential", "3", "--slow-clients", "40", "--expect", expected.toString(), images.toString());
            System.out.print(load.out());
            assertThat(load.exit()).as(load.out() + load.err()).isZero();
            assertThat(load.out()).contains("lost answers 0").contains("PASSED")
                    .contains("20 trickling headers, 20 closed by the service").contains("20 trickling a body, 20 closed by the service");
            Thread.sleep(500); // the access log is written once each answer is complete
            // a warm-up, 3 one at a time and 48 under load; the 20 body-tricklers (POST /v1/score, no query) answered 408;
            // header-tricklers never finish a request, so they have no line
            List<String> scoreLines = stderr.stream().filter(l -> l.contains("\"POST /v1/score?seed=0 ")).toList();
            System.out.printf("access log: %d lines for POST /v1/score?seed=0, e.g. %s%n", scoreLines.size(), scoreLines.get(0));
            assertThat(scoreLines).hasSize(1 + 3 + 48).allMatch(l -> ACCESS_SCORE.matcher(l).find());
            assertThat(scoreLines.stream().map(l -> { Matcher m = ACCESS_SCORE.matcher(l); m.find(); return m.group(1); }).distinct())
                    .as("one id per request").hasSize(scoreLines.size());
            assertThat(stderr.stream().filter(l -> l.contains("\"POST /v1/score HTTP/1.1\" 408 "))).hasSize(20);

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            byte[] png = Files.readAllBytes(images.resolve("scene0.png"));
            List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                burst.add(http.sendAsync(HttpRequest.newBuilder(base.resolve("/v1/score")).header("Content-Type", "image/png")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            CompletableFuture.anyOf(burst.toArray(CompletableFuture[]::new)).join();
            server.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its stderr
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("gamma serve exits after SIGTERM").isTrue();
            int answered = 0;
            int refused = 0;
            for (CompletableFuture<HttpResponse<String>> f : burst) {
                try {
                    assertThat(f.join().statusCode()).isIn(200, 503);
                    answered++;
                } catch (CompletionException e) {
                    assertThat(e.getCause()).as("a request the service accepted was not answered").isInstanceOf(ConnectException.class);
                    refused++;
                }
            }
            System.out.printf("SIGTERM during a burst of 24: %d answered, %d refused at connect%n", answered, refused);
            served.reader().join(5000);
            assertThat(String.join("\n", stderr)).as("exit status %d", server.exitValue()).contains("every accepted request was answered");
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void configuredByTheEnvironmentAloneItListensThereLogsJsonAndDrainsAfterItsDelay() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        LinkedBlockingQueue<String> stderr = new LinkedBlockingQueue<>();
        Served served = serve(Map.of("GAMMA_MODEL", ScoreCommandTest.model().toString(),
                "GAMMA_VOCAB", TestAssets.vocabulary().toString(), "GAMMA_HOST", "127.0.0.1", "GAMMA_PORT", Integer.toString(port),
                "GAMMA_LOG_FORMAT", "json", "GAMMA_DRAIN_DELAY_S", "3"), stderr);
        Process server = served.process();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> lines = new ArrayList<>();
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            while (lines.stream().noneMatch(l -> l.path("formattedMessage").asText().contains("ready at " + base))) {
                String line = stderr.poll(60, TimeUnit.SECONDS);
                assertThat(line).as("gamma serve did not become ready at %s; it said %s", base, lines).isNotNull();
                lines.add(json.readTree(line)); // every line is one JSON object
            }
            Path images = TestAssets.fixtures().resolve("images");
            ScoreCommandTest.Run load = ScoreCommandTest.gamma("loadtest", "--url", base.toString(), "--clients", "8",
                    "--requests", "24", "--sequential", "2", images.toString());
            assertThat(load.exit()).as(load.out() + load.err()).isZero();
            Thread.sleep(500);
            for (String line; (line = stderr.poll()) != null; ) {
                lines.add(json.readTree(line));
            }
            List<com.fasterxml.jackson.databind.JsonNode> access = lines.stream()
                    .filter(l -> l.path("loggerName").asText().equals("org.gammaiqa.server.access")
                            && l.path("formattedMessage").asText().contains("\"POST /v1/score?seed=0 "))
                    .toList();
            System.out.printf("JSON access log: %d lines for POST /v1/score, e.g. %s%n", access.size(), access.get(0));
            assertThat(access).hasSize(1 + 2 + 24);
            assertThat(access.stream().map(l -> l.path("mdc").path("request_id").asText()).distinct().filter(id -> !id.isEmpty()))
                    .as("each line carries its own request id").hasSize(access.size());
            assertThat(access).allMatch(l -> l.path("formattedMessage").asText().contains(" " + l.path("mdc").path("request_id").asText() + " "));

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            byte[] png = Files.readAllBytes(images.resolve("scene0.png"));
            server.toHandle().destroy(); // SIGTERM: 3 s of drain delay, then the drain
            Thread.sleep(500);
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(base.resolve("/readyz")).GET().build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> scored = http.send(HttpRequest.newBuilder(base.resolve("/v1/score")).header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(), HttpResponse.BodyHandlers.ofString());
            System.out.printf("after SIGTERM, in the drain delay: /readyz %d, /v1/score %d%n", ready.statusCode(), scored.statusCode());
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(scored.statusCode()).as(scored.body()).isEqualTo(200);
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("gamma serve exits after the drain").isTrue();
            served.reader().join(5000);
            for (String line; (line = stderr.poll()) != null; ) {
                lines.add(json.readTree(line));
            }
            assertThat(lines).anyMatch(l -> l.path("formattedMessage").asText().contains("every accepted request was answered"));
        } finally {
            server.destroyForcibly();
        }
    }
}
