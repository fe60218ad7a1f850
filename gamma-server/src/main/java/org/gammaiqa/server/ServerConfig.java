package org.gammaiqa.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How the service listens and what it accepts. Every bound is explicit: a request that exceeds one
 * is refused with the status the HTTP API documents, never queued without limit.
 *
 * @param host          address to bind; loopback unless the operator says otherwise
 * @param port          TCP port, 0 for any free one
 * @param apiKey        when non-null, requests to the API must carry it in {@code X-API-Key}
 * @param metricsNeedKey whether {@code /metrics} needs the API key too (when one is set); off by default, so that
 *                      a Prometheus server scrapes it without one
 * @param httpThreads   threads reading, decoding and answering requests
 * @param deadline      longest a request may take from arrival to answer (504 beyond it)
 * @param batching      how images of concurrent requests share forward passes
 * @param limits        sizes beyond which requests are refused
 * @param connections   how long and how slowly a client may hold a connection, and how many it may hold
 */
public record ServerConfig(String host, int port, String apiKey, boolean metricsNeedKey, int httpThreads, Duration deadline,
                           Batching batching, Limits limits, Connections connections) {
    /** Header that carries the API key. */
    public static final String API_KEY_HEADER = "X-API-Key";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_BATCH = 8;
    public static final int DEFAULT_MAX_WAIT_MS = 5;
    /** Size it as throughput × the latency you accept: at 3 images/s, 32 queued images wait up to ~10 s. */
    public static final int DEFAULT_QUEUE = 32;
    public static final int DEFAULT_MAX_BODY_MB = 32;
    public static final int DEFAULT_MAX_BUFFERED_MB = 256;
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    public static final int DEFAULT_MAX_IMAGES = 16;
    public static final int DEFAULT_MAX_CROPS = 64;
    public static final int DEFAULT_DEADLINE_S = 30;
    public static final int DEFAULT_HEADER_TIMEOUT_S = 5;
    public static final int DEFAULT_IDLE_TIMEOUT_S = 10;
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    public static final long DEFAULT_MIN_BODY_RATE = 4096;

    /**
     * @param maxBatch      most images scored in one call
     * @param maxWait       longest the first image of a batch waits for others
     * @param queueCapacity most images waiting; a request that does not fit gets 503 with Retry-After
     */
    public record Batching(int maxBatch, Duration maxWait, int queueCapacity) {
        public Batching {
            require(maxBatch >= 1, "batching.maxBatch", maxBatch, "at least 1");
            require(!maxWait.isNegative(), "batching.maxWait", maxWait, "zero or more");
            require(queueCapacity >= 1, "batching.queueCapacity", queueCapacity, "at least 1");
        }
    }

    /**
     * @param maxBodyBytes largest request body (413 beyond it)
     * @param maxPixels    largest image, width × height, read from its header (413 beyond it)
     * @param maxImages    most images in one multipart request
     * @param maxCrops     most random crops a request may ask for
     * @param maxBufferedBytes most bytes of request bodies held at once, all requests together (503 beyond it)
     */
    public record Limits(long maxBodyBytes, long maxPixels, int maxImages, int maxCrops, long maxBufferedBytes) {
        public Limits {
            require(maxBodyBytes >= 1 && maxBodyBytes <= Integer.MAX_VALUE - 8, "limits.maxBodyBytes", maxBodyBytes, "1 .. 2 GiB");
            require(maxBufferedBytes >= maxBodyBytes, "limits.maxBufferedBytes", maxBufferedBytes,
                    "at least limits.maxBodyBytes (" + maxBodyBytes + "), so that one largest body fits");
            require(maxPixels >= 1, "limits.maxPixels", maxPixels, "at least 1");
            require(maxImages >= 1, "limits.maxImages", maxImages, "at least 1");
            require(maxCrops >= 1, "limits.maxCrops", maxCrops, "at least 1");
        }
    }

    /**
     * @param headerTimeout  longest from a connection's opening, or its previous answer, to the end of the next
     *                       request's headers; the connection is closed beyond it, however the bytes trickle in
     * @param idleTimeout    longest silence while a request's body is read or its answer written
     * @param maxConnections most open connections; beyond it new ones wait in the listen backlog
     * @param minBodyRate    slowest request body accepted, in bytes per second averaged from the headers' end
     *                       (after its first second); a slower one is answered 408 and its connection closed
     */
    public record Connections(Duration headerTimeout, Duration idleTimeout, int maxConnections, long minBodyRate) {
        public Connections {
            require(headerTimeout.toMillis() >= 1, "connections.headerTimeout", headerTimeout, "at least 1 ms");
            require(idleTimeout.toMillis() >= 1, "connections.idleTimeout", idleTimeout, "at least 1 ms");
            require(maxConnections >= 1, "connections.maxConnections", maxConnections, "at least 1");
            require(minBodyRate >= 0, "connections.minBodyRate", minBodyRate, "0 (no minimum) or more bytes per second");
        }
    }

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(batching, "batching");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(connections, "connections");
        require(port >= 0 && port <= 65535, "port", port, "0 .. 65535 (0: any free port)");
        require(httpThreads >= 1, "httpThreads", httpThreads, "at least 1");
        require(deadline.toMillis() >= 1, "deadline", deadline, "at least 1 ms");
        require(apiKey == null || !apiKey.isBlank(), "apiKey", "(blank)", "null for no key, or a non-blank key");
    }

    /**
     * Loopback on port 8080, batches of 8 within 5 ms, 32 images queued, 32 MiB bodies, 40 Mpixel images, 30 s
     * deadline; 5 s for headers, 10 s of silence, 1024 connections, bodies at 4 KiB/s or faster.
     */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, null, false, Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
                Duration.ofSeconds(DEFAULT_DEADLINE_S),
                new Batching(DEFAULT_MAX_BATCH, Duration.ofMillis(DEFAULT_MAX_WAIT_MS), DEFAULT_QUEUE),
                new Limits((long) DEFAULT_MAX_BODY_MB << 20, DEFAULT_MAX_PIXELS, DEFAULT_MAX_IMAGES, DEFAULT_MAX_CROPS,
                        (long) DEFAULT_MAX_BUFFERED_MB << 20),
                new Connections(Duration.ofSeconds(DEFAULT_HEADER_TIMEOUT_S), Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_S),
                        DEFAULT_MAX_CONNECTIONS, DEFAULT_MIN_BODY_RATE));
    }

    public ServerConfig withAddress(String h, int p) {
        return new ServerConfig(h, p, apiKey, metricsNeedKey, httpThreads, deadline, batching, limits, connections);
    }

    public ServerConfig withApiKey(String key) {
        return new ServerConfig(host, port, key, metricsNeedKey, httpThreads, deadline, batching, limits, connections);
    }

    public ServerConfig withMetricsNeedKey(boolean needKey) {
        return new ServerConfig(host, port, apiKey, needKey, httpThreads, deadline, batching, limits, connections);
    }

    public ServerConfig withHttpThreads(int n) {
        return new ServerConfig(host, port, apiKey, metricsNeedKey, n, deadline, batching, limits, connections);
    }

    public ServerConfig withDeadline(Duration d) {
        return new ServerConfig(host, port, apiKey, metricsNeedKey, httpThreads, d, batching, limits, connections);
    }

    public ServerConfig withBatching(Batching b) {
        return new ServerConfig(host, port, apiKey, metricsNeedKey, httpThreads, deadline, b, limits, connections);
    }

    public ServerConfig withLimits(Limits l) {
        return new ServerConfig(host, port, apiKey, metricsNeedKey, httpThreads, deadline, batching, l, connections);
    }

    public ServerConfig withConnections(Connections c) {
        return new ServerConfig(host, port, apiKey, metricsNeedKey, httpThreads, deadline, batching, limits, c);
    }

    private static void require(boolean ok, String field, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("server config " + field + " = " + value + " is invalid; expected " + expected);
        }
    }
}
