package org.gammaiqa.server.batching;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoreResult;
import org.gammaiqa.scoring.Scored;
import org.gammaiqa.scoring.ScoringOptions;

/**
 * A bounded queue of images to score and the one thread that scores them: it takes the oldest
 * image, waits at most {@code maxWait} for up to {@code maxBatch − 1} more with the same options,
 * and scores them in one call. Images with other options wait for a later batch, in order.
 * Every submitted image's future completes exactly once: with its result, its own error, or
 * {@link DeadlineExceededException} when its deadline passed before its batch started.
 */
public final class MicroBatcher implements AutoCloseable {
    /** Told of every batch scored: its number of images and the time its scoring took. */
    @FunctionalInterface
    public interface BatchObserver {
        void batch(int size, long nanos);
    }

    private record Job(RgbImage image, ScoringOptions options, long deadlineNanos, CompletableFuture<ScoreResult> result) {}

    private final GammaScorer scorer;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final ArrayBlockingQueue<Job> queue;
    private final BatchObserver batches;
    private final Object admission = new Object();
    private final Thread worker;
    /** Jobs taken from the queue whose options differed from the batch being gathered; worker thread only. */
    private final Deque<Job> deferred = new ArrayDeque<>();
    private volatile boolean accepting = true;

    /**
     * @param maxBatch   most images scored in one call
     * @param maxWait    longest the first image of a batch waits for others
     * @param capacity   most images waiting; beyond it {@link #submit} refuses
     * @param batches    told the size and scoring time of every batch (for metrics)
     */
    public MicroBatcher(GammaScorer scorer, int maxBatch, Duration maxWait, int capacity, BatchObserver batches) {
        if (maxBatch < 1 || capacity < 1 || maxWait.isNegative()) {
            throw new IllegalArgumentException("maxBatch and capacity must be at least 1 and maxWait not negative, got "
                    + maxBatch + ", " + capacity + ", " + maxWait);
        }
        this.scorer = scorer;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.batches = batches;
        this.worker = new Thread(this::run, "gamma-batcher");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /**
     * Queues all the images of one request, or none of them.
     *
     * @param deadlineNanos {@link System#nanoTime()} after which an image still waiting is not scored
     * @return one future per image, in order
     * @throws RejectedException when the queue lacks room for all of them, or the batcher is shutting down
     */
    public List<CompletableFuture<ScoreResult>> submit(List<RgbImage> images, ScoringOptions options, long deadlineNanos)
            throws RejectedException {
        List<CompletableFuture<ScoreResult>> futures = new ArrayList<>(images.size());
        synchronized (admission) {
            if (!accepting) {
                throw new RejectedException("the service is shutting down");
            }
            // Only submitters add, one at a time, so the room seen here can only grow before the offers.
            if (queue.remainingCapacity() < images.size()) {
                throw new RejectedException("the queue is full (" + queue.size() + " images waiting, capacity "
                        + (queue.size() + queue.remainingCapacity()) + ")");
            }
            for (RgbImage image : images) {
                CompletableFuture<ScoreResult> f = new CompletableFuture<>();
                queue.add(new Job(image, options, deadlineNanos, f));
                futures.add(f);
            }
        }
        return futures;
    }

    /** Images waiting to be scored. */
    public int queueDepth() {
        return queue.size();
    }

    /** Refuses new work; what is queued is still scored. */
    public void shutdown() {
        synchronized (admission) {
            accepting = false;
        }
    }

    /** Waits for the queue to drain after {@link #shutdown()}; true if it did within the timeout. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        worker.join(Math.max(1, timeout.toMillis()));
        return !worker.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        shutdown();
        worker.join();
    }

    private void run() {
        while (true) {
            List<Job> batch;
            try {
                batch = gather();
            } catch (InterruptedException e) {
                failAll(new IllegalStateException("the scoring thread was interrupted"));
                return;
            }
            if (batch == null) {
                return;
            }
            if (!batch.isEmpty()) {
                score(batch);
            }
        }
    }

    /** The next batch: empty when nothing came within the poll interval, null once shut down and drained. */
    private List<Job> gather() throws InterruptedException {
        Job first = deferred.poll();
        if (first == null) {
            first = queue.poll(50, TimeUnit.MILLISECONDS);
            if (first == null) {
                return accepting || !queue.isEmpty() ? List.of() : null;
            }
        }
        List<Job> batch = new ArrayList<>(maxBatch);
        batch.add(first);
        for (Iterator<Job> it = deferred.iterator(); it.hasNext() && batch.size() < maxBatch; ) {
            Job j = it.next();
            if (j.options().equals(first.options())) {
                batch.add(j);
                it.remove();
            }
        }
        long until = System.nanoTime() + maxWaitNanos;
        while (batch.size() < maxBatch && deferred.size() < maxBatch) {
            long left = until - System.nanoTime();
            Job j = left > 0 && accepting ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (j == null) {
                break;
            }
            if (j.options().equals(first.options())) {
                batch.add(j);
            } else {
                deferred.add(j);
            }
        }
        return batch;
    }

    private void score(List<Job> jobs) {
        long now = System.nanoTime();
        List<Job> live = new ArrayList<>(jobs.size());
        for (Job j : jobs) {
            if (j.result().isDone()) {
                continue; // its request already gave up (deadline) and was answered
            }
            if (now - j.deadlineNanos() > 0) {
                j.result().completeExceptionally(new DeadlineExceededException("the request deadline passed while the image waited in the queue"));
            } else {
                live.add(j);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        try {
            List<Scored> outcomes = Scored.together(scorer, live.stream().map(Job::image).toList(), live.get(0).options());
            batches.batch(live.size(), System.nanoTime() - start);
            for (int i = 0; i < live.size(); i++) {
                Scored s = outcomes.get(i);
                if (s.failed()) {
                    live.get(i).result().completeExceptionally(s.error());
                } else {
                    live.get(i).result().complete(s.result());
                }
            }
        } catch (Throwable e) {  // an Error: no image of the batch is left waiting
            live.forEach(j -> j.result().completeExceptionally(e));
        }
    }

    private void failAll(Throwable e) {
        deferred.forEach(j -> j.result().completeExceptionally(e));
        queue.forEach(j -> j.result().completeExceptionally(e));
    }
}
