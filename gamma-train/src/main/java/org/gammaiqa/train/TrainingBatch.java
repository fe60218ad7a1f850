package org.gammaiqa.train;

import java.util.Arrays;
import java.util.List;
import org.gammaiqa.text.Scene;

/**
 * One training batch: CLIP-normalised crops (B, 3, S, S) channel-first, each sample's normalised MOS, the scene
 * whose prompts it is scored against, and its series' place in the batch (−1 for none): the rank loss compares
 * the samples of a series with each other.
 */
public record TrainingBatch(float[] pixels, int cropSize, float[] mos, List<Scene> scenes, int[] series) {
    public TrainingBatch {
        scenes = List.copyOf(scenes);
        if (mos.length == 0 || mos.length != scenes.size() || mos.length != series.length
                || pixels.length != mos.length * 3 * cropSize * cropSize) {
            throw new IllegalArgumentException("batch of " + mos.length + " MOS values, " + scenes.size() + " scenes, "
                    + series.length + " series and " + pixels.length + " pixel values; expected one scene and series "
                    + "per sample and 3·" + cropSize + "² values each");
        }
    }

    /** A batch without series. */
    public TrainingBatch(float[] pixels, int cropSize, float[] mos, List<Scene> scenes) {
        this(pixels, cropSize, mos, scenes, noSeries(mos.length));
    }

    private static int[] noSeries(int n) {
        int[] out = new int[n];
        Arrays.fill(out, -1);
        return out;
    }

    public int size() {
        return mos.length;
    }
}
