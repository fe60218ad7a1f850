package org.gammaiqa.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.gammaiqa.server.batching.DeadlineExceededException;
import org.gammaiqa.server.batching.RejectedException;

/**
 * The path of a scoring request, {@code /v1/score} or {@code /v1/map}, from admission to answer, without holding a
 * thread while it waits: refused while the model loads (503) or for a content type that is neither an image nor a
 * form (415); otherwise its body is read, its work read from the body and queued (refused with the work's status, or
 * 503 when the queue is full), and the answer given when the work is done: 504 past the deadline, 400 for a bad custom
 * prompt, else 500 (logged with its trace).
 */
final class QueuedWork {
    /** A request's work, read from its body and queued: it completes with what to answer. */
    @FunctionalInterface
    interface Work<T> {
        CompletableFuture<T> start(LoadedModel m, byte[] body, long deadlineNanos) throws ApiException, RejectedException;
    }

    private final ServerConfig config;
    private final Executor executor;
    private final Supplier<LoadedModel> model;

    /**
     * @param executor runs the reading, decoding and answering (never Jetty's selector threads)
     * @param model    the model once loaded, else null
     */
    QueuedWork(ServerConfig config, Executor executor, Supplier<LoadedModel> model) {
        this.config = config;
        this.executor = executor;
        this.model = model;
    }

    <T> void run(Exchange ex, Work<T> work, BiConsumer<LoadedModel, T> reply) {
        LoadedModel m = model.get();
        if (m == null) {
            ex.error(503, "the model is still loading; retry shortly (GET /readyz says when it is ready)");
            return;
        }
        try {
            ScoreRequest.checkContentType(ex.header("Content-Type"));
        } catch (ApiException e) {
            ex.error(e.status, e.getMessage());
            return;
        }
        long deadline = ex.start() + config.deadline().toNanos();
        ex.body().thenAcceptAsync(body -> {
            CompletableFuture<T> done;
            try {
                done = work.start(m, body, deadline);
            } catch (ApiException e) {
                ex.error(e.status, e.getMessage());
                return;
            } catch (RejectedException e) {
                ex.error(503, e.getMessage() + "; retry after the Retry-After delay");
                return;
            }
            done.orTimeout(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).whenCompleteAsync((r, failure) -> {
                if (failure == null) {
                    reply.accept(m, r);
                } else {
                    failed(ex, Exchange.cause(failure));
                }
            }, executor);
        }, executor).exceptionally(failure -> {
            ex.fail(failure);
            return null;
        });
    }

    private void failed(Exchange ex, Throwable cause) {
        if (cause instanceof TimeoutException || cause instanceof DeadlineExceededException) {
            ex.error(504, "not scored within the deadline of " + config.deadline().toMillis()
                    + " ms; the service is overloaded, retry later or send fewer images");
        } else if (cause instanceof IllegalArgumentException) {
            ex.error(400, cause.getMessage()); // e.g. a custom prompt longer than the text tower reads
        } else {
            ex.internalError("scoring failed", cause);
        }
    }
}
