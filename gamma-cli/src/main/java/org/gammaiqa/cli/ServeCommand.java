package org.gammaiqa.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.gammaiqa.model.ModelSummary;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.server.GammaServer;
import org.gammaiqa.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gamma serve}: the HTTP scoring service, one model per process, until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve POST /v1/score over HTTP (see docs/SERVICE.md), with a web page at /, /healthz, /readyz, /metrics, /openapi.json.",
                "Listens on loopback unless --host says otherwise. API key: set GAMMA_API_KEY to require it in X-API-Key.",
                "SIGTERM stops accepting, answers every request in flight, then exits."})
final class ServeCommand implements Callable<Integer> {
    /** Environment variable holding the API key (kept off the command line, where ps would show it). */
    static final String API_KEY_ENV = "GAMMA_API_KEY";

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--host", defaultValue = ServerConfig.DEFAULT_HOST, description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for all interfaces).")
    String host;

    @Option(names = "--port", defaultValue = "" + ServerConfig.DEFAULT_PORT, description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--max-batch", defaultValue = "" + ServerConfig.DEFAULT_MAX_BATCH, description = "Most images scored together (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "" + ServerConfig.DEFAULT_MAX_WAIT_MS, description = "Longest an image waits for others to batch with (default: ${DEFAULT-VALUE}).")
    long maxWaitMs;

    @Option(names = "--queue", defaultValue = "" + ServerConfig.DEFAULT_QUEUE, description = "Most images waiting; beyond it 503 with Retry-After. Size it as images/s × the wait you accept (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--max-body-mb", defaultValue = "" + ServerConfig.DEFAULT_MAX_BODY_MB, description = "Largest request body in MiB (default: ${DEFAULT-VALUE}).")
    long maxBodyMb;

    @Option(names = "--max-buffered-mb", defaultValue = "" + ServerConfig.DEFAULT_MAX_BUFFERED_MB,
            description = "Most MiB of request bodies held at once, all requests together; beyond it 503 with Retry-After (default: ${DEFAULT-VALUE}).")
    long maxBufferedMb;

    @Option(names = "--max-pixels", defaultValue = "" + ServerConfig.DEFAULT_MAX_PIXELS, description = "Largest image, width × height (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Option(names = "--max-images", defaultValue = "" + ServerConfig.DEFAULT_MAX_IMAGES, description = "Most images in one multipart request (default: ${DEFAULT-VALUE}).")
    int maxImages;

    @Option(names = "--max-crops", defaultValue = "" + ServerConfig.DEFAULT_MAX_CROPS, description = "Most random crops a request may ask for (default: ${DEFAULT-VALUE}).")
    int maxCrops;

    @Option(names = "--deadline-s", defaultValue = "" + ServerConfig.DEFAULT_DEADLINE_S, description = "Longest a request may take; beyond it 504 (default: ${DEFAULT-VALUE}).")
    long deadlineS;

    @Option(names = "--http-threads", description = "Threads decoding and answering requests (default: twice the cores, at least 4).")
    Integer httpThreads;

    @Option(names = "--header-timeout-s", defaultValue = "" + ServerConfig.DEFAULT_HEADER_TIMEOUT_S,
            description = "Longest a connection may take to send a request's headers, from its opening or its previous answer; then it is closed (default: ${DEFAULT-VALUE}).")
    long headerTimeoutS;

    @Option(names = "--idle-timeout-s", defaultValue = "" + ServerConfig.DEFAULT_IDLE_TIMEOUT_S,
            description = "Longest silence while a body is read or an answer written (default: ${DEFAULT-VALUE}).")
    long idleTimeoutS;

    @Option(names = "--max-connections", defaultValue = "" + ServerConfig.DEFAULT_MAX_CONNECTIONS,
            description = "Most open connections; more wait in the listen backlog (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--min-body-rate", defaultValue = "" + ServerConfig.DEFAULT_MIN_BODY_RATE,
            description = "Slowest request body accepted, bytes/s after its first second; slower ones get 408 (default: ${DEFAULT-VALUE}; 0: no minimum).")
    long minBodyRate;

    @Option(names = "--grace-s", defaultValue = "30", description = "On SIGTERM, longest wait for requests in flight (default: ${DEFAULT-VALUE}).")
    long graceS;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ServerConfig defaults = ServerConfig.defaults();
        ServerConfig config = defaults.withAddress(host, port)
                .withApiKey(System.getenv(API_KEY_ENV))
                .withHttpThreads(httpThreads != null ? httpThreads : defaults.httpThreads())
                .withDeadline(Duration.ofSeconds(deadlineS))
                .withBatching(new ServerConfig.Batching(maxBatch, Duration.ofMillis(maxWaitMs), queue))
                .withLimits(new ServerConfig.Limits(maxBodyMb << 20, maxPixels, maxImages, maxCrops, maxBufferedMb << 20))
                .withConnections(new ServerConfig.Connections(Duration.ofSeconds(headerTimeoutS), Duration.ofSeconds(idleTimeoutS),
                        maxConnections, minBodyRate));
        PrintWriter err = spec.commandLine().getErr();
        if (modelOptions.model != null) {
            ModelSummary.of(modelOptions.model); // a bad checkpoint is refused before the service starts
        }
        GammaServer server;
        try {
            server = GammaServer.start(config);
        } catch (java.net.BindException e) {
            throw new IllegalArgumentException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "); choose another --port, or stop the process that holds it");
        }
        String url = "http://" + server.address().getHostString() + ":" + server.address().getPort();
        err.printf("gamma serve: listening on %s%s; loading %s%n", url,
                config.apiKey() != null ? " (API key required)" : "", modelOptions.describe());
        if (!server.address().getAddress().isLoopbackAddress() && config.apiKey() == null) {
            err.printf("gamma serve: warning: listening beyond this machine (%s) without an API key; set %s to require one%n",
                    host, API_KEY_ENV);
        }
        Thread hook = new Thread(() -> {
            err.println("gamma serve: stopping: refusing new requests, answering those in flight");
            try {
                boolean clean = server.shutdown(Duration.ofSeconds(graceS));
                err.println(clean ? "gamma serve: stopped; every accepted request was answered"
                        : "gamma serve: stopped after the " + graceS + " s grace period with requests unanswered");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "gamma-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        GammaScorer scorer;
        try {
            scorer = modelOptions.load();
        } catch (Exception | Error e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            server.shutdown(Duration.ZERO);
            throw e;
        }
        server.ready(scorer);
        if (scorer.source().isDemo()) {
            err.println(ModelOptions.demoNotice());
        }
        err.printf("gamma serve: ready at %s (model %s, sha256 %s)%n", url, scorer.source().name(), scorer.source().sha256());
        server.awaitStopped();
        return 0;
    }
}
