package org.gammaiqa.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.RuntimeOptions;
import org.gammaiqa.scoring.ModelSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model per executor JVM, loaded on the first task that needs it and shared by every task after
 * (a {@link GammaScorer} is thread-safe). The checkpoint's SHA-256 is checked once, at that load, so
 * that no executor scores with a different file than the driver was given. Each load is logged, once per
 * executor JVM (cluster-check.sh counts these lines in the executors' logs).
 */
final class ScorerHolder {
    private static final Logger LOG = LoggerFactory.getLogger(ScorerHolder.class);
    private static final ConcurrentHashMap<ModelSpec, GammaScorer> SCORERS = new ConcurrentHashMap<>();

    private ScorerHolder() {}

    /**
     * The model of {@code spec}, loading it if this JVM has not yet.
     *
     * @param threads libtorch intra-op threads, applied when this JVM starts libtorch (unless
     *                {@code -Dai.djl.pytorch.num_threads} is set, which wins)
     */
    static GammaScorer get(ModelSpec spec, int threads) {
        return SCORERS.computeIfAbsent(spec, s -> load(s, threads));
    }

    private static GammaScorer load(ModelSpec spec, int threads) {
        long start = System.nanoTime();
        Path checkpoint = resolve(spec.checkpoint(), "checkpoint");
        Path vocabulary = resolve(spec.vocabulary(), "vocabulary");
        String actual = ModelSource.digest(checkpoint);
        if (!actual.equals(spec.sha256())) {
            throw new IllegalStateException("checkpoint " + checkpoint + " on this executor has SHA-256 " + actual
                    + " but the job expects " + spec.sha256()
                    + "; every executor must read the same file: ship it with --files or put it on shared storage");
        }
        System.getProperties().putIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(threads));
        try {
            GammaScorer scorer = GammaScorer.load(checkpoint, vocabulary, RuntimeOptions.defaults().withMaxCropsPerPass(spec.cropsPerPass()));
            LOG.info("Gamma model loaded on executor {}: {} (SHA-256 {}) in {} ms; every later task of this JVM shares it",
                    SparkEnv.get().executorId(), checkpoint, actual, (System.nanoTime() - start) / 1_000_000);
            return scorer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the Gamma model " + checkpoint + " on this executor: " + e.getMessage(), e);
        }
    }

    /** The file as given if this JVM sees it, else the copy {@code --files} put in the SparkFiles folder. */
    static Path resolve(String path, String what) {
        Path given = Path.of(path);
        if (Files.isRegularFile(given)) {
            return given;
        }
        String shipped = SparkFiles.get(given.getFileName().toString());
        if (Files.isRegularFile(Path.of(shipped))) {
            return Path.of(shipped);
        }
        throw new IllegalStateException("the " + what + " " + path + " is not readable on this executor, nor as "
                + shipped + "; put it on storage every executor mounts, or ship it with spark-submit --files " + path);
    }
}
