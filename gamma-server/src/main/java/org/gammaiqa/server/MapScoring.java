package org.gammaiqa.server;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.gammaiqa.map.QualityMap;
import org.gammaiqa.map.QualityMapper;
import org.gammaiqa.map.WindowGrid;
import org.gammaiqa.scoring.ScoreResult;
import org.gammaiqa.scoring.ScoringOptions;
import org.gammaiqa.server.batching.DeadlineExceededException;
import org.gammaiqa.server.batching.MicroBatcher;
import org.gammaiqa.server.batching.RejectedException;

/**
 * One map's windows scored through the service's {@link MicroBatcher}, so that maps share the queue's bound with
 * scores: the image's own score is queued first (refused when the queue is full: the request gets 503), then the
 * windows, at most {@value #BATCHES_IN_FLIGHT} batches of them waiting at once. A batch the full queue refuses is
 * offered again when one of the map's batches finishes, or after {@value #RETRY_MS} ms, until the deadline.
 */
final class MapScoring {
    private static final int BATCHES_IN_FLIGHT = 2;
    private static final long RETRY_MS = 10;

    private final MicroBatcher batcher;
    private final WindowGrid grid;
    private final ScoringOptions windowOptions;
    private final long deadlineNanos;
    private final int batchSize;
    private final double[] scores;
    private final CompletableFuture<double[]> windows = new CompletableFuture<>();
    /** Windows [0, next) are queued or scored; guarded by this. */
    private int next;
    /** Batches queued and not yet finished; guarded by this. */
    private int inFlight;
    /** Windows scored; guarded by this. */
    private int scored;

    private MapScoring(MicroBatcher batcher, WindowGrid grid, ScoringOptions windowOptions, long deadlineNanos, int batchSize) {
        this.batcher = batcher;
        this.grid = grid;
        this.windowOptions = windowOptions;
        this.deadlineNanos = deadlineNanos;
        this.batchSize = batchSize;
        this.scores = new double[grid.size()];
    }

    /**
     * Queues the request's image and starts feeding its windows in batches of {@code batchSize}.
     *
     * @throws RejectedException when the queue has no room for the image's own score
     */
    static CompletableFuture<QualityMap> start(MicroBatcher batcher, int batchSize, MapRequest request, long deadlineNanos)
            throws RejectedException {
        WindowGrid grid = WindowGrid.over(request.image(), request.stride());
        CompletableFuture<ScoreResult> whole = batcher.submit(List.of(request.image()), request.options(), deadlineNanos).get(0);
        MapScoring m = new MapScoring(batcher, grid, QualityMapper.windowOptions(request.options()), deadlineNanos, batchSize);
        m.fill();
        CompletableFuture<QualityMap> map = whole.thenCombine(m.windows, (w, s) -> grid.assemble(s, w));
        // When the image's own score fails (its deadline passed, say), no further windows are queued; windows still
        // queued after the deadline are dropped by the batcher, which ends the map too.
        map.whenComplete((ignored, failure) -> {
            if (failure != null) {
                m.windows.completeExceptionally(failure);
            }
        });
        return map;
    }

    /** Queues batches of windows while fewer than {@value #BATCHES_IN_FLIGHT} wait and windows remain. */
    private synchronized void fill() {
        while (!windows.isDone() && next < scores.length && inFlight < BATCHES_IN_FLIGHT) {
            int from = next;
            int to = Math.min(scores.length, from + batchSize);
            List<CompletableFuture<ScoreResult>> results;
            try {
                results = batcher.submit(grid.windows(from, to), windowOptions, deadlineNanos);
            } catch (RejectedException e) {
                if (inFlight == 0) {
                    retryLater(e);
                }
                return;
            }
            next = to;
            inFlight++;
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                    .whenComplete((ignored, failure) -> finished(from, results, failure));
        }
    }

    private void retryLater(RejectedException e) {
        if (System.nanoTime() - deadlineNanos > 0) {
            windows.completeExceptionally(new DeadlineExceededException("the queue stayed full until the deadline (" + e.getMessage() + ")"));
        } else {
            CompletableFuture.delayedExecutor(RETRY_MS, TimeUnit.MILLISECONDS).execute(this::fill);
        }
    }

    private void finished(int from, List<CompletableFuture<ScoreResult>> results, Throwable failure) {
        synchronized (this) {
            inFlight--;
            if (failure != null) {
                windows.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
                return;
            }
            for (int i = 0; i < results.size(); i++) {
                scores[from + i] = results.get(i).join().score();
            }
            scored += results.size();
            if (scored == scores.length) {
                windows.complete(scores);
                return;
            }
        }
        fill();
    }
}
