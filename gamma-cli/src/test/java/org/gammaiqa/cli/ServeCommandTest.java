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
 * test with slow clients trickling headers and bodies (all closed by the service), and SIGTERM in the
 * middle of a burst answers every request the service accepted.
 */
class ServeCommandTest {
    private static final Pattern READY = Pattern.compile("ready at (http://127\\.0\\.0\\.1:\\d+)");

    @Test
    void servesLikeTheCliUnderLoadAndDrainsOnSigterm(@TempDir Path tmp) throws Exception {
        Path model = ScoreCommandTest.model();
        Path images = TestAssets.fixtures().resolve("images");
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                GammaCli.class.getName(), "serve", "--model", model.toString(), "--vocab", TestAssets.vocabulary().toString(),
                "--port", "0", "--queue", "16", "--header-timeout-s", "2").start();
        LinkedBlockingQueue<String> stderr = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    stderr.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.start();
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
            reader.join(5000);
            assertThat(String.join("\n", stderr)).as("exit status %d", server.exitValue()).contains("every accepted request was answered");
        } finally {
            server.destroyForcibly();
        }
    }
}
