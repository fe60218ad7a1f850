package org.gammaiqa.scoring;

import java.io.IOException;
import java.nio.file.Path;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
        public boolean failed() {
            return error != null;
        }
    }

    /** Receives outcomes in input order. */
    @FunctionalInterface
    public interface Sink {
        void accept(Outcome outcome) throws IOException;
    }

    /**
     * How many files were scored and how many failed, and the seconds spent in the network (scoring decoded
     * images, forward passes included) and in all: their ratio is how busy decoding kept the network.
     */
    public record Summary(long scored, long failed, double networkSeconds, double wallSeconds) {}

    private record Decoded(Path path, RgbImage image, Exception error) {}

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

    public Summary run(Iterator<Path> files, Sink sink) throws IOException, InterruptedException {
        long scored = 0;
        long failed = 0;
        long start = System.nanoTime();
        long network = 0;
        try (DecodeAhead<Path, Decoded> decoded = new DecodeAhead<>("gamma-decode", decodeThreads,
                groupSize * 2 + decodeThreads, files, this::decode)) {
            while (decoded.hasNext()) {
                List<Decoded> group = new ArrayList<>(groupSize);
                while (group.size() < groupSize && decoded.hasNext()) {
                    group.add(decoded.next());
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
        } catch (InterruptedIOException e) {
            throw new InterruptedException(e.getMessage());
        }
        return new Summary(scored, failed, network / 1e9, (System.nanoTime() - start) / 1e9);
    }

    private Decoded decode(Path p) {
        try {
            return new Decoded(p, decoder.decode(p), null);
        } catch (IOException | RuntimeException e) {
            return new Decoded(p, null, e);
        }
    }

    private List<Outcome> score(List<Decoded> group) {
        List<RgbImage> images = group.stream().filter(d -> d.image() != null).map(Decoded::image).toList();
        Iterator<Scored> results = Scored.together(scorer, images, options).iterator();
        List<Outcome> out = new ArrayList<>(group.size());
        for (Decoded d : group) {
            if (d.image() == null) {
                out.add(new Outcome(d.path(), null, Scored.describe(d.error())));
            } else {
                Scored s = results.next();
                out.add(new Outcome(d.path(), s.result(), s.message()));
            }
        }
        return out;
    }
}
