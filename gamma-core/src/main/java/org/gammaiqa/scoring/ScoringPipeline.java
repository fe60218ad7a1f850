package org.gammaiqa.scoring;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.RgbImage;

/**
 * Scores a stream of image files of any length: decoding runs on worker threads ahead of the
 * network, images are grouped into shared forward passes, and each outcome is handed on in input
 * order as soon as it is known. A file that fails (unreadable, corrupt, too large) yields an
 * error outcome and the rest go on; at most a bounded window of images is held in memory.
 */
public final class ScoringPipeline {
    /** The result for one file: exactly one of {@code result} and {@code error} is non-null. */
    public record Outcome(Path path, ScoreResult result, String error) {
        /** True when the file could not be scored. */
        public boolean failed() {
            return error != null;
        }
    }

    /** Receives outcomes in input order. */
    @FunctionalInterface
    public interface Sink {
        /** Takes the next outcome; an exception stops the run. */
        void accept(Outcome outcome) throws IOException;
    }

    /** The scoring of one decoded image: exactly one of {@code result} and {@code error} is non-null. */
    public record Scored(ScoreResult result, String error) {}

    /**
     * How many files were scored and how many failed, and the seconds spent in the network (scoring decoded
     * images, forward passes included) and in all: their ratio is how busy decoding kept the network.
     */
    public record Summary(long scored, long failed, double networkSeconds, double wallSeconds) {}

    private record Decoded(Path path, RgbImage image, String error) {}

    private final GammaScorer scorer;
    private final ImageDecoder decoder;
    private final ScoringOptions options;
    private final int decodeThreads;
    private final int groupSize;

    /**
     * @param decodeThreads threads decoding ahead of the network
     * @param groupSize     images whose crops share forward passes
     */
    public ScoringPipeline(GammaScorer scorer, ImageDecoder decoder, ScoringOptions options, int decodeThreads, int groupSize) {
        if (decodeThreads < 1 || groupSize < 1) {
            throw new IllegalArgumentException("decode threads and group size must be at least 1, got "
                    + decodeThreads + " and " + groupSize);
        }
        this.scorer = scorer;
        this.decoder = decoder;
        this.options = options;
        this.decodeThreads = decodeThreads;
        this.groupSize = groupSize;
    }

    /** Scores the files in order, handing each outcome to {@code sink}; returns the counts when every file is done. */
    public Summary run(Iterator<Path> files, Sink sink) throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(decodeThreads, r -> {
            Thread t = new Thread(r, "gamma-decode");
            t.setDaemon(true);
            return t;
        });
        long scored = 0;
        long failed = 0;
        long start = System.nanoTime();
        long network = 0;
        try {
            Deque<Future<Decoded>> window = new ArrayDeque<>();
            int ahead = groupSize * 2 + decodeThreads;
            while (true) {
                while (window.size() < ahead && files.hasNext()) {
                    Path p = files.next();
                    window.add(pool.submit(() -> decode(p)));
                }
                if (window.isEmpty()) {
                    break;
                }
                List<Decoded> group = new ArrayList<>(groupSize);
                while (group.size() < groupSize && !window.isEmpty()) {
                    group.add(take(window.poll()));
                }
                long t = System.nanoTime();
                List<Outcome> outcomes = score(group);
                network += System.nanoTime() - t;
                for (Outcome o : outcomes) {
                    sink.accept(o);
                    if (o.failed()) {
                        failed++;
                    } else {
                        scored++;
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Summary(scored, failed, network / 1e9, (System.nanoTime() - start) / 1e9);
    }

    private Decoded decode(Path p) {
        try {
            return new Decoded(p, decoder.decode(p), null);
        } catch (IOException | RuntimeException e) {
            return new Decoded(p, null, describe(e));
        }
    }

    private static Decoded take(Future<Decoded> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("decoding worker failed", e.getCause());
        }
    }

    private List<Outcome> score(List<Decoded> group) {
        List<RgbImage> images = group.stream().filter(d -> d.image() != null).map(Decoded::image).toList();
        Iterator<Scored> results = scoreGroup(scorer, images, options).iterator();
        List<Outcome> out = new ArrayList<>(group.size());
        for (Decoded d : group) {
            if (d.image() == null) {
                out.add(new Outcome(d.path(), null, d.error()));
            } else {
                Scored s = results.next();
                out.add(new Outcome(d.path(), s.result(), s.error()));
            }
        }
        return out;
    }

    /**
     * Scores decoded images together, their crops sharing forward passes; if that fails, one by one,
     * so that one bad image fails alone. One entry per image, in input order.
     */
    public static List<Scored> scoreGroup(GammaScorer scorer, List<RgbImage> images, ScoringOptions options) {
        try {
            return scorer.score(images, options).stream().map(r -> new Scored(r, null)).toList();
        } catch (RuntimeException together) {
            List<Scored> out = new ArrayList<>(images.size());
            for (RgbImage image : images) {
                try {
                    out.add(new Scored(scorer.score(image, options), null));
                } catch (RuntimeException e) {
                    out.add(new Scored(null, describe(e)));
                }
            }
            return out;
        }
    }

    /** The error text an outcome carries for a failure: the exception's message, else its class. */
    public static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
