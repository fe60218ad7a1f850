package org.gammaiqa.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives a running service: first {@code sequential} valid images one at a time (the baseline), then
 * {@code clients} concurrent clients sending {@code requests} requests of the {@link Payload} mix while
 * {@code slowClients} connections trickle headers or bodies ({@link SlowClients}) and {@code /healthz} is
 * probed every 200 ms, then a health check. Every request either gets an HTTP answer or counts as lost.
 */
public final class LoadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param base       service root, e.g. {@code http://127.0.0.1:8080}
     * @param query      scoring parameters appended to every request, e.g. {@code seed=0&crops=10}
     * @param timeout    longest a client waits for one answer before counting it lost
     * @param apiKey     sent in {@code X-API-Key} when non-null
     * @param slowClients connections held open during the load, trickling headers (half) or a body (half)
     */
    public record Settings(URI base, String query, int clients, int requests, int sequential, Duration timeout, String apiKey,
                           int slowClients) {
        public Settings {
            if (clients < 1 || requests < 1 || sequential < 0 || slowClients < 0) {
                throw new IllegalArgumentException("load test needs clients ≥ 1, requests ≥ 1, sequential ≥ 0, slow clients ≥ 0; got "
                        + clients + ", " + requests + ", " + sequential + ", " + slowClients);
            }
        }
    }

    /**
     * What happened.
     *
     * @param lost              requests accepted by a connection but never answered (reset, client timeout); must be 0
     * @param refused           requests whose connection was refused (a stopped service accepted nothing)
     * @param unexpected        answers whose status a correct service would not give for that input
     * @param statuses          answers per status
     * @param byKind            answers per input kind and status
     * @param scores            score of each valid image by index, as first answered
     * @param scoreSpread       largest difference between answers for the same image (batching must not change scores)
     * @param sequentialPerSec  valid images per second one at a time
     * @param concurrentPerSec  valid images scored per second under load
     * @param healthyAfter      healthz and readyz answered 200 after the load
     * @param healthProbes      {@code /healthz} probes during the load, and the slowest and failed ones
     * @param slow              what became of the slow clients; null when there were none
     */
    public record Report(int sent, int lost, int refused, int unexpected, Map<Integer, Long> statuses, Map<Payload.Kind, Map<Integer, Long>> byKind,
                         double p50Ms, double p99Ms, double sequentialPerSec, double concurrentPerSec, double requestsPerSec,
                         Map<Integer, Double> scores, double scoreSpread, boolean healthyAfter, List<String> lostReasons,
                         int healthProbes, double healthMaxMs, int healthFailed, SlowClients.Report slow) {
        public boolean passed() {
            return lost == 0 && refused == 0 && unexpected == 0 && healthyAfter && healthFailed == 0
                    && (slow == null || slow.stillOpen() == 0);
        }
    }

    /** Longest wait, after the load, for the service to close the slow clients still open. */
    private static final long SLOW_CLOSE_WAIT_MS = 15_000;

    private LoadTest() {}

    /** Runs the test with these valid images (PNG or JPEG bytes). */
    public static Report run(Settings s, List<byte[]> images) throws IOException, InterruptedException {
        List<Payload> mix = Payload.mix(images);
        ExecutorService pool = Executors.newFixedThreadPool(s.clients(), r -> {
            Thread t = new Thread(r, "gamma-loadtest");
            t.setDaemon(true);
            return t;
        });
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool)
                .connectTimeout(s.timeout()).build();
        try {
            Map<Integer, Double> scores = new ConcurrentHashMap<>();
            double[] spread = {0};
            if (s.sequential() > 0) {
                send(client, s, mix.get(0)); // warm-up, untimed: the first forward pass is slow
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < s.sequential(); i++) {
                Payload p = mix.get(i % images.size());
                HttpResponse<byte[]> r = send(client, s, p);
                if (r.statusCode() != 200) {
                    throw new IOException("baseline request " + i + " got " + r.statusCode() + ": "
                            + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
                }
                record(scores, spread, p, r);
            }
            double sequentialPerSec = s.sequential() == 0 ? 0 : s.sequential() / ((System.nanoTime() - t0) / 1e9);

            AtomicInteger next = new AtomicInteger();
            LongAdder lost = new LongAdder();
            LongAdder refused = new LongAdder();
            LongAdder unexpected = new LongAdder();
            LongAdder validScored = new LongAdder();
            Map<Integer, Long> statuses = new ConcurrentHashMap<>();
            Map<Payload.Kind, Map<Integer, Long>> byKind = new ConcurrentHashMap<>();
            List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
            List<String> lostReasons = Collections.synchronizedList(new ArrayList<>());
            ExecutorService clients = Executors.newFixedThreadPool(s.clients());
            SlowClients slow = s.slowClients() > 0 ? SlowClients.open(s.base(), s.slowClients() / 2, s.slowClients() - s.slowClients() / 2) : null;
            HealthProbe probe = new HealthProbe(s);
            long t1 = System.nanoTime();
            for (int c = 0; c < s.clients(); c++) {
                clients.execute(() -> {
                    for (int i; (i = next.getAndIncrement()) < s.requests(); ) {
                        Payload p = mix.get(i % mix.size());
                        long start = System.nanoTime();
                        try {
                            HttpResponse<byte[]> r = send(client, s, p);
                            latencies.add((System.nanoTime() - start) / 1e6);
                            statuses.merge(r.statusCode(), 1L, Long::sum);
                            byKind.computeIfAbsent(p.kind(), k -> new ConcurrentHashMap<>()).merge(r.statusCode(), 1L, Long::sum);
                            if (!p.kind().allowed().contains(r.statusCode())) {
                                unexpected.increment();
                            } else if (r.statusCode() == 200) {
                                validScored.add(p.kind() == Payload.Kind.VALID_MULTIPART ? Math.min(2, images.size()) : 1);
                                record(scores, spread, p, r);
                            }
                        } catch (java.net.ConnectException e) {
                            refused.increment();
                        } catch (IOException e) {
                            lost.increment();
                            lostReasons.add(p.kind() + ": " + e);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                });
            }
            clients.shutdown();
            if (!clients.awaitTermination(s.timeout().toMillis() * (s.requests() / s.clients() + 2), TimeUnit.MILLISECONDS)) {
                clients.shutdownNow();
                throw new IOException("load test clients did not finish; the service stopped answering");
            }
            double seconds = (System.nanoTime() - t1) / 1e9;
            probe.stop();
            SlowClients.Report slowReport = null;
            if (slow != null) {
                try (slow) {
                    slowReport = slow.finish(SLOW_CLOSE_WAIT_MS);
                }
            }
            boolean healthy = get(client, s, "/healthz") == 200 && get(client, s, "/readyz") == 200;
            double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new Report(s.requests(), (int) lost.sum(), (int) refused.sum(), (int) unexpected.sum(), new TreeMap<>(statuses), sortedByKind(byKind),
                    percentile(sorted, 50), percentile(sorted, 99), sequentialPerSec, validScored.sum() / seconds,
                    sorted.length / seconds, new TreeMap<>(scores), spread[0], healthy, List.copyOf(lostReasons),
                    probe.probes, probe.maxMs, probe.failed, slowReport);
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code GET /healthz} every 200 ms on a client of its own, each with a 10 s timeout. */
    private static final class HealthProbe {
        final Thread thread;
        volatile boolean running = true;
        int probes;
        int failed;
        double maxMs;

        HealthProbe(Settings s) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
            thread = new Thread(() -> {
                while (running) {
                    long t0 = System.nanoTime();
                    int status;
                    try {
                        status = client.send(HttpRequest.newBuilder(s.base().resolve("/healthz")).timeout(Duration.ofSeconds(10)).GET().build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (IOException e) {
                        status = -1;
                    } catch (InterruptedException e) {
                        return;
                    }
                    probes++;
                    failed += status == 200 ? 0 : 1;
                    maxMs = Math.max(maxMs, (System.nanoTime() - t0) / 1e6);
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "gamma-health-probe");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    private static HttpResponse<byte[]> send(HttpClient client, Settings s, Payload p) throws IOException, InterruptedException {
        String query = s.query() == null || s.query().isEmpty() ? "" : "?" + s.query();
        HttpRequest.Builder b = HttpRequest.newBuilder(s.base().resolve("/v1/score" + query)).timeout(s.timeout())
                .header("Content-Type", p.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(p.body()));
        if (s.apiKey() != null) {
            b.header("X-API-Key", s.apiKey());
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static int get(HttpClient client, Settings s, String path) throws InterruptedException {
        try {
            return client.send(HttpRequest.newBuilder(s.base().resolve(path)).timeout(s.timeout()).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void record(Map<Integer, Double> scores, double[] spread, Payload p, HttpResponse<byte[]> r) throws IOException {
        if (p.kind() != Payload.Kind.VALID_IMAGE) {
            return;
        }
        JsonNode body = JSON.readTree(r.body());
        double score = body.get("results").get(0).get("score").asDouble();
        Double first = scores.putIfAbsent(p.imageIndex(), score);
        if (first != null) {
            synchronized (spread) {
                spread[0] = Math.max(spread[0], Math.abs(first - score));
            }
        }
    }

    private static Map<Payload.Kind, Map<Integer, Long>> sortedByKind(Map<Payload.Kind, Map<Integer, Long>> byKind) {
        Map<Payload.Kind, Map<Integer, Long>> out = new TreeMap<>();
        byKind.forEach((k, v) -> out.put(k, new TreeMap<>(v)));
        return out;
    }

    private static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** The report as the lines a person reads. */
    public static String format(Report r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("requests %d, lost answers %d, refused connections %d, unexpected statuses %d, healthy after: %s%n",
                r.sent(), r.lost(), r.refused(), r.unexpected(), r.healthyAfter() ? "yes" : "NO"));
        s.append("statuses ").append(r.statuses()).append('\n');
        r.byKind().forEach((k, v) -> s.append(String.format("  %-20s expected %d, got %s%n", k, k.expected, v)));
        s.append(String.format("latency p50 %.1f ms, p99 %.1f ms; %.1f requests/s%n", r.p50Ms(), r.p99Ms(), r.requestsPerSec()));
        s.append(String.format("valid images/s: %.1f concurrent vs %.1f one at a time (%.2fx)%n", r.concurrentPerSec(),
                r.sequentialPerSec(), r.sequentialPerSec() > 0 ? r.concurrentPerSec() / r.sequentialPerSec() : Double.NaN));
        s.append(String.format("scores %s, largest difference between answers for the same image %.3g%n", r.scores(), r.scoreSpread()));
        s.append(String.format("/healthz during the load: %d probes, slowest %.0f ms, %d failed%n", r.healthProbes(), r.healthMaxMs(), r.healthFailed()));
        if (r.slow() != null) {
            s.append(r.slow().format());
        }
        r.lostReasons().stream().limit(5).forEach(l -> s.append("  lost: ").append(l).append('\n'));
        return s.toString();
    }
}
