package org.gammaiqa.server;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request body without holding a thread while it arrives, refusing it as soon as it is too slow (408: below
 * the minimum rate, averaged from the end of the headers, after its first second), and turning the refusals of the
 * handlers before it into the API's errors: too large (413, from Jetty's SizeLimitHandler at the first byte past the
 * limit) or more than the service can hold with the bodies already arriving (503, from the {@link BodyBudget}).
 * Jetty's MinimumDataRateHandler is not used for the rate: it checks only when more bytes are asked for, with no
 * grace period, so it refuses a body whose first network packet is small and never notices a body that stops.
 */
final class BodyReader implements Runnable {
    /** How often a body still arriving is checked against the minimum rate. */
    private static final long RATE_CHECK_MS = 250;
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Request request;
    private final long maxBytes;
    private final long minBytesPerSecond;
    private final Scheduler scheduler;
    private final long start = System.nanoTime();
    private final AtomicLong received = new AtomicLong();
    /** Grown as bytes arrive: a declared length is not trusted with memory before the bytes come. */
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
    private final CompletableFuture<byte[]> done = new CompletableFuture<>();

    private BodyReader(Request request, long maxBytes, long minBytesPerSecond, Scheduler scheduler) {
        this.request = request;
        this.maxBytes = maxBytes;
        this.minBytesPerSecond = minBytesPerSecond;
        this.scheduler = scheduler;
    }

    /**
     * The whole body; fails with an {@link ApiException} (400, 408, 413, 503) that says why.
     *
     * @param maxBytes the body limit that SizeLimitHandler enforces, named in the 413's message
     */
    static CompletableFuture<byte[]> read(Request request, long maxBytes, long minBytesPerSecond, Scheduler scheduler) {
        BodyReader reader = new BodyReader(request, maxBytes, minBytesPerSecond, scheduler);
        if (minBytesPerSecond > 0) {
            reader.checkRate();
        }
        reader.run();
        return reader.done;
    }

    /** Takes every chunk available, then asks Jetty to call again when more arrives. */
    @Override
    public void run() {
        while (!done.isDone()) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                done.completeExceptionally(refusal(chunk.getFailure()));
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            received.addAndGet(bytes.remaining());
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            body.write(copy, 0, copy.length);
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                done.complete(body.toByteArray());
            }
        }
    }

    private void checkRate() {
        if (done.isDone()) {
            return;
        }
        long elapsed = System.nanoTime() - start;
        long got = received.get();
        if (elapsed > GRACE_NANOS && got * 1e9 / elapsed < minBytesPerSecond) {
            done.completeExceptionally(new ApiException(408, String.format("request body arrived at %.0f bytes/s (%d bytes in %.1f s),"
                    + " below the minimum of %d bytes/s; send it faster", got * 1e9 / elapsed, got, elapsed / 1e9, minBytesPerSecond)));
            return;
        }
        scheduler.schedule(this::checkRate, RATE_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    private ApiException refusal(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return new ApiException(408, "the request body stopped arriving (" + failure.getMessage() + "); send it whole");
        }
        if (failure instanceof HttpException http && http.getCode() == 413) {
            return new ApiException(413, JsonErrors.tooLarge("more than " + maxBytes + " bytes", maxBytes));
        }
        if (failure instanceof HttpException http) {
            return new ApiException(http.getCode(), http.getReason());
        }
        return new ApiException(400, "cannot read the request body: " + failure);
    }
}
