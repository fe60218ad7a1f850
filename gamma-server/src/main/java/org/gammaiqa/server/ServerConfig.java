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
 * @param httpThreads   threads reading, decoding and answering requests
 * @param deadline      longest a request may take from arrival to answer (504 beyond it)
 * @param batching      how images of concurrent requests share forward passes
 * @param limits        sizes beyond which requests are refused
 */
public record ServerConfig(String host, int port, String apiKey, int httpThreads, Duration deadline,
                           Batching batching, Limits limits) {
    /** Header that carries the API key. */
    public static final String API_KEY_HEADER = "X-API-Key";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_BATCH = 8;
    public static final int DEFAULT_MAX_WAIT_MS = 5;
    /** Size it as throughput × the latency you accept: at 3 images/s, 32 queued images wait up to ~10 s. */
    public static final int DEFAULT_QUEUE = 32;
    public static final int DEFAULT_MAX_BODY_MB = 32;
    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    public static final int DEFAULT_MAX_IMAGES = 16;
    public static final int DEFAULT_MAX_CROPS = 64;
    public static final int DEFAULT_DEADLINE_S = 30;

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
     */
    public record Limits(long maxBodyBytes, long maxPixels, int maxImages, int maxCrops) {
        public Limits {
            require(maxBodyBytes >= 1 && maxBodyBytes <= Integer.MAX_VALUE - 8, "limits.maxBodyBytes", maxBodyBytes, "1 .. 2 GiB");
            require(maxPixels >= 1, "limits.maxPixels", maxPixels, "at least 1");
            require(maxImages >= 1, "limits.maxImages", maxImages, "at least 1");
            require(maxCrops >= 1, "limits.maxCrops", maxCrops, "at least 1");
        }
    }

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(batching, "batching");
        Objects.requireNonNull(limits, "limits");
        require(port >= 0 && port <= 65535, "port", port, "0 .. 65535 (0: any free port)");
        require(httpThreads >= 1, "httpThreads", httpThreads, "at least 1");
        require(deadline.toMillis() >= 1, "deadline", deadline, "at least 1 ms");
        require(apiKey == null || !apiKey.isBlank(), "apiKey", "(blank)", "null for no key, or a non-blank key");
    }

    /** Loopback on port 8080, batches of 8 within 5 ms, 32 images queued, 32 MiB bodies, 40 Mpixel images, 30 s deadline. */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, null, Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
                Duration.ofSeconds(DEFAULT_DEADLINE_S),
                new Batching(DEFAULT_MAX_BATCH, Duration.ofMillis(DEFAULT_MAX_WAIT_MS), DEFAULT_QUEUE),
                new Limits((long) DEFAULT_MAX_BODY_MB << 20, DEFAULT_MAX_PIXELS, DEFAULT_MAX_IMAGES, DEFAULT_MAX_CROPS));
    }

    public ServerConfig withAddress(String h, int p) {
        return new ServerConfig(h, p, apiKey, httpThreads, deadline, batching, limits);
    }

    public ServerConfig withApiKey(String key) {
        return new ServerConfig(host, port, key, httpThreads, deadline, batching, limits);
    }

    public ServerConfig withHttpThreads(int n) {
        return new ServerConfig(host, port, apiKey, n, deadline, batching, limits);
    }

    public ServerConfig withDeadline(Duration d) {
        return new ServerConfig(host, port, apiKey, httpThreads, d, batching, limits);
    }

    public ServerConfig withBatching(Batching b) {
        return new ServerConfig(host, port, apiKey, httpThreads, deadline, b, limits);
    }

    public ServerConfig withLimits(Limits l) {
        return new ServerConfig(host, port, apiKey, httpThreads, deadline, batching, l);
    }

    private static void require(boolean ok, String field, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("server config " + field + " = " + value + " is invalid; expected " + expected);
        }
    }
}
