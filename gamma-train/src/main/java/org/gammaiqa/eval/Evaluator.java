package org.gammaiqa.eval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.gammaiqa.data.DatasetSpec;
import org.gammaiqa.data.Phase;
import org.gammaiqa.data.Sample;
import org.gammaiqa.image.ImageDecoder;
import org.gammaiqa.image.RgbImage;
import org.gammaiqa.scoring.CropPolicy;
import org.gammaiqa.scoring.DecodeAhead;
import org.gammaiqa.scoring.GammaScorer;
import org.gammaiqa.scoring.ScoringOptions;
import org.gammaiqa.scoring.ScoringProtocol;

/**
 * Scores datasets with the paper's test protocol — each image at its own size (UWIQA, AVA: short side resized
 * first), ten seeded random 224 crops averaged, the dataset's scene prompts — and compares with the normalised MOS.
 * Images are decoded on worker threads while the network scores the previous ones.
 */
public final class Evaluator {
    /** Images whose crops share forward passes. */
    private static final int IMAGES_PER_CALL = ScoringProtocol.BATCH;
    /** Calls' worth of images decoded ahead of the network. */
    private static final int LOOK_AHEAD = 4;

    private final GammaScorer scorer;
    private final ScoringOptions protocol;
    private final int decodeThreads;

    /** @param crops random crops per image (the paper: {@value ScoringProtocol#CROPS}); @param seed seed of the crop positions */
    public Evaluator(GammaScorer scorer, int crops, long seed, int decodeThreads) {
        this.scorer = scorer;
        this.protocol = ScoringProtocol.defaults().withCrops(new CropPolicy.Random(crops)).withSeed(seed);
        this.decodeThreads = Math.max(1, decodeThreads);
    }

    public EvalReport evaluate(List<DatasetSpec> datasets, Phase phase) throws IOException {
        List<DatasetResult> results = new ArrayList<>();
        for (DatasetSpec d : datasets) {
            results.add(evaluate(d, d.load(phase)));
        }
        return new EvalReport(results);
    }

    public DatasetResult evaluate(DatasetSpec dataset, List<Sample> samples) throws IOException {
        ScoringOptions options = protocol.withPrompts(dataset.scene().prompts());
        ImageDecoder decoder = new ImageDecoder();
        double[] predictions = new double[samples.size()];
        double[] mos = new double[samples.size()];
        try (DecodeAhead<Sample, RgbImage> images = new DecodeAhead<>("gamma-eval-decode", decodeThreads,
                LOOK_AHEAD * IMAGES_PER_CALL, samples.iterator(), s -> decode(decoder, dataset, s))) {
            for (int start = 0; start < samples.size(); start += IMAGES_PER_CALL) {
                int end = Math.min(samples.size(), start + IMAGES_PER_CALL);
                List<RgbImage> chunk = new ArrayList<>();
                for (int i = start; i < end; i++) {
                    chunk.add(images.next());
                }
                var scores = scorer.score(chunk, options);
                for (int i = start; i < end; i++) {
                    predictions[i] = scores.get(i - start).score();
                    mos[i] = samples.get(i).mos();
                }
            }
        }
        return DatasetResult.of(dataset.name(), dataset.scene().id(), predictions, mos);
    }

    /** The image as the dataset's test transform gives it; a failure other than an IOException names the image. */
    private static RgbImage decode(ImageDecoder decoder, DatasetSpec dataset, Sample s) throws IOException {
        try {
            return dataset.augment().test(decoder.decode(s.image()));
        } catch (RuntimeException e) {
            throw new IOException(s.image() + ": " + e.getMessage(), e);
        }
    }
}
