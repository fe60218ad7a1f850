package org.gammaiqa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.gammaiqa.loadtest.LoadTest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gamma loadtest}: hammers a running service with valid and bad requests and reports what it lost. */
@Command(name = "loadtest", mixinStandardHelpOptions = true,
        description = {"Load-test a running `gamma serve`: concurrent clients send valid images, truncated JPEGs, empty bodies,",
                "malformed multipart forms, PNGs declaring 100000x100000 pixels and wrong content types, while --slow-clients",
                "connections trickle headers or bodies; the report gives lost answers (must be 0), statuses, p50/p99 latency,",
                "throughput against one-at-a-time requests, /healthz during the load, when the slow clients were closed, and health afterwards.",
                "Exit status: 0 passed, 1 lost or unexpected answers, unhealthy, slow clients left open, or scores differing from --expect."})
final class LoadTestCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "Service root (default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--clients", defaultValue = "64", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--requests", defaultValue = "300", description = "Requests sent under load (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--sequential", defaultValue = "20", description = "One-at-a-time requests for the baseline (default: ${DEFAULT-VALUE}).")
    int sequential;

    @Option(names = "--query", defaultValue = "seed=0", description = "Scoring parameters of every request (default: ${DEFAULT-VALUE}).")
    String query;

    @Option(names = "--slow-clients", defaultValue = "0",
            description = "Connections held open during the load, half trickling a request's headers, half its body, one byte per 100 ms;"
                    + " the service must close them all (default: ${DEFAULT-VALUE}).")
    int slowClients;

    @Option(names = "--timeout-s", defaultValue = "60", description = "Longest wait for one answer before it counts as lost (default: ${DEFAULT-VALUE}).")
    long timeoutS;

    @Option(names = "--expect", paramLabel = "FILE",
            description = "`gamma score --format jsonl` output for the same images and parameters: the service's scores must equal it (1e-5).")
    Path expect;

    @Option(names = "--allow-remote", description = "Allow a URL that is not on this machine (off: load tests stay on loopback).")
    boolean allowRemote;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Valid images (files or directories; the first 8 are used).")
    List<Path> paths;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!allowRemote && !InetAddress.getByName(url.getHost()).isLoopbackAddress()) {
            throw new IllegalArgumentException("--url " + url + " is not a loopback address; load tests stay on this machine"
                    + " unless you pass --allow-remote");
        }
        List<Path> files = new ArrayList<>();
        for (ImageFiles it = new ImageFiles(paths); it.hasNext() && files.size() < 8; ) {
            files.add(it.next());
        }
        List<byte[]> images = new ArrayList<>();
        for (Path f : files) {
            images.add(Files.readAllBytes(f));
        }
        PrintWriter out = spec.commandLine().getOut();
        LoadTest.Report r = LoadTest.run(new LoadTest.Settings(url, query, clients, requests, sequential,
                Duration.ofSeconds(timeoutS), System.getenv(ServeCommand.API_KEY_ENV), slowClients), images);
        out.print(LoadTest.format(r));
        boolean scoresMatch = true;
        if (expect != null) {
            Map<String, Double> cli = scores(expect);
            double worst = 0;
            for (Map.Entry<Integer, Double> e : r.scores().entrySet()) {
                Double want = cli.get(files.get(e.getKey()).toString());
                if (want == null) {
                    throw new IllegalArgumentException(expect + " has no score for " + files.get(e.getKey())
                            + "; run gamma score on the same paths as the load test");
                }
                worst = Math.max(worst, Math.abs(want - e.getValue()));
            }
            scoresMatch = worst <= 1e-5;
            out.printf("service vs gamma score (%s): largest difference %.3g over %d images%s%n", expect, worst, r.scores().size(),
                    scoresMatch ? "" : " — MISMATCH");
        }
        out.println(r.passed() && scoresMatch ? "PASSED" : "FAILED");
        out.flush();
        return r.passed() && scoresMatch ? 0 : 1;
    }

    private static Map<String, Double> scores(Path jsonl) throws Exception {
        Map<String, Double> out = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                JsonNode o = JSON.readTree(line);
                if (o.has("score")) {
                    out.put(o.get("path").asText(), o.get("score").asDouble());
                }
            }
        }
        return out;
    }
}
