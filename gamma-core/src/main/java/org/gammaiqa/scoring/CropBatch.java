package org.gammaiqa.scoring;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gammaiqa.image.RgbImage;

/**
 * The crops of a group of images laid out for one or more forward passes, and the averaging of
 * their outputs back per image. Identical crops of an image (every random crop of a 224×224 image
 * is the whole image) are computed once and weighted by their multiplicity: the average is unchanged.
 */
final class CropBatch {
    private record Entry(int image, RgbImage pixels, CropBox box, int weight) {}

    private final List<Entry> entries;
    private final int[] originalWidth;
    private final int[] originalHeight;
    private final boolean[] upscaled;
    private final int cropSize;

    private CropBatch(List<Entry> entries, int[] w, int[] h, boolean[] upscaled, int cropSize) {
        this.entries = entries;
        this.originalWidth = w;
        this.originalHeight = h;
        this.upscaled = upscaled;
        this.cropSize = cropSize;
    }

    static CropBatch of(List<RgbImage> images, ScoringOptions options) {
        int size = ScoringProtocol.CROP_SIZE;
        List<Entry> entries = new ArrayList<>();
        int n = images.size();
        int[] w = new int[n];
        int[] h = new int[n];
        boolean[] up = new boolean[n];
        for (int i = 0; i < n; i++) {
            RgbImage original = images.get(i);
            RgbImage img = ScoringProtocol.upscale(original);
            w[i] = original.width();
            h[i] = original.height();
            up[i] = img != original;
            Map<CropBox, Integer> counts = new LinkedHashMap<>();
            for (CropBox box : ScoringProtocol.cropBoxes(img, options)) {
                counts.merge(box, 1, Integer::sum);
            }
            for (Map.Entry<CropBox, Integer> e : counts.entrySet()) {
                entries.add(new Entry(i, img, e.getKey(), e.getValue()));
            }
        }
        return new CropBatch(entries, w, h, up, size);
    }

    /** Number of distinct crops. */
    int size() {
        return entries.size();
    }

    int cropSize() {
        return cropSize;
    }

    /** Writes the normalised pixels of crops [from, to) into {@code out} as (N, 3, S, S), channel-first. */
    void pixels(int from, int to, FloatBuffer out) {
        int crop = 3 * cropSize * cropSize;
        for (int e = from; e < to; e++) {
            Entry entry = entries.get(e);
            ScoringProtocol.normalise(entry.pixels(), entry.box(), out, (e - from) * crop);
        }
    }

    /** Per-image weighted means of the crop scores (N) and level probabilities (N × L). */
    List<ScoreResult> average(float[] scores, float[] probabilities, ScoringOptions options) {
        int images = originalWidth.length;
        int levels = options.prompts().prompts().size();
        double[] score = new double[images];
        double[][] level = new double[images][levels];
        int[] weight = new int[images];
        for (int e = 0; e < entries.size(); e++) {
            Entry entry = entries.get(e);
            int i = entry.image();
            score[i] += (double) entry.weight() * scores[e];
            for (int l = 0; l < levels; l++) {
                level[i][l] += (double) entry.weight() * probabilities[e * levels + l];
            }
            weight[i] += entry.weight();
        }
        List<ScoreResult> out = new ArrayList<>(images);
        for (int i = 0; i < images; i++) {
            int wi = weight[i];
            List<Double> levelMeans = Arrays.stream(level[i]).map(v -> v / wi).boxed().toList();
            out.add(new ScoreResult(score[i] / wi, levelMeans, options.prompts().name(), wi, upscaled[i],
                    originalWidth[i], originalHeight[i]));
        }
        return out;
    }
}
