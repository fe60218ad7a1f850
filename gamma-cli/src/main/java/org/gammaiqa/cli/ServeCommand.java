package org.gammaiqa.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.gammaiqa.model.ModelSummary;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.server.GammaServer;
import org.gammaiqa.server.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gamma serve}: the HTTP scoring service, one model per process, until SIGTERM or Ctrl-C. Every option may
 * also come from the environment or a config file ({@link ServeDefaults}); what it says goes to the log.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve POST /v1/score over HTTP (see docs/SERVICE.md), with a web page at /, /healthz, /readyz, /metrics, /openapi.json.",
                "Listens on loopback unless --host says otherwise. API key: set GAMMA_API_KEY to require it in X-API-Key.",
                "Every option can also be set by an environment variable (--max-batch: GAMMA_MAX_BATCH) or a key of the"
                        + " --config file (max-batch: 8); a flag wins over the environment, the environment over the file.",
                "SIGTERM: /readyz answers 503 for --drain-delay-s while requests are still served; then new requests"
                        + " are refused, every request in flight is answered, and the process exits."})
final class ServeCommand implements Callable<Integer> {
    /** Environment variable holding the API key (kept off the command line, where ps would show it). */
    static final String API_KEY_ENV = "GAMMA_API_KEY";
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    ModelOptions modelOptions;

    @Option(names = ServeDefaults.CONFIG_OPTION, paramLabel = "FILE",
            description = "YAML file of option values, keys named as the options without dashes (also: GAMMA_CONFIG).")
    Path config;

    @Option(names = "--log-format", defaultValue = "text",
            description = "Log lines as text or json, one JSON object per line (default: ${DEFAULT-VALUE}).")
    ServiceLogging.Format logFormat;

    @Option(names = "--log-level", defaultValue = "info",
            description = "Level of the service's log, access log included: error, warn, info, debug (every refusal) or trace (default: ${DEFAULT-VALUE}).")
    String logLevel;

    @Option(names = "--metrics-need-key", defaultValue = "false", fallbackValue = "true", arity = "0..1",
            description = "Require the API key (when set) on /metrics too; off, Prometheus scrapes it without one (default: ${DEFAULT-VALUE}).")
    boolean metricsNeedKey;

    @Option(names = "--drain-delay-s", defaultValue = "0",
            description = "On SIGTERM, seconds /readyz answers 503 while requests are still served, before the drain;"
                    + " set it to the time load balancers take to stop routing here (default: ${DEFAULT-VALUE}).")
    long drainDelayS;

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

    @Override
    public Integer call() throws Exception {
        ServiceLogging.configure(logFormat, logLevel);
        ServerConfig defaults = ServerConfig.defaults();
        ServerConfig config = defaults.withAddress(host, port)
                .withApiKey(System.getenv(API_KEY_ENV))
                .withMetricsNeedKey(metricsNeedKey)
                .withHttpThreads(httpThreads != null ? httpThreads : defaults.httpThreads())
                .withDeadline(Duration.ofSeconds(deadlineS))
                .withBatching(new ServerConfig.Batching(maxBatch, Duration.ofMillis(maxWaitMs), queue))
                .withLimits(new ServerConfig.Limits(maxBodyMb << 20, maxPixels, maxImages, maxCrops, maxBufferedMb << 20))
                .withConnections(new ServerConfig.Connections(Duration.ofSeconds(headerTimeoutS), Duration.ofSeconds(idleTimeoutS),
                        maxConnections, minBodyRate));
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
        LOG.info("gamma serve: listening on {}{}; loading {}", url,
                config.apiKey() != null ? " (API key required" + (metricsNeedKey ? ", on /metrics too)" : ")") : "", modelOptions.describe());
        if (!server.address().getAddress().isLoopbackAddress() && config.apiKey() == null) {
            LOG.warn("gamma serve: listening beyond this machine ({}) without an API key; set {} to require one", host, API_KEY_ENV);
        }
        Thread hook = new Thread(() -> {
            LOG.info("gamma serve: stopping: /readyz answers 503, requests are served for {} s more, then refused while those in flight are answered",
                    drainDelayS);
            try {
                boolean clean = server.drain(Duration.ofSeconds(drainDelayS), Duration.ofSeconds(graceS));
                if (clean) {
                    LOG.info("gamma serve: stopped; every accepted request was answered");
                } else {
                    LOG.warn("gamma serve: stopped after the {} s grace period with requests unanswered", graceS);
                }
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
            LOG.warn(ModelOptions.demoNotice());
        }
        LOG.info("gamma serve: ready at {} (model {}, sha256 {})", url, scorer.source().name(), scorer.source().sha256());
        server.awaitStopped();
        return 0;
    }
}
