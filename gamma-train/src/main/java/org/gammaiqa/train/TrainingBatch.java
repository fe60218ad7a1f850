package org.gammaiqa.train;

import java.util.List;
import org.gammaiqa.text.Scene;

/**
 * One training batch: CLIP-normalised crops (B, 3, S, S) channel-first, each sample's normalised MOS and
 * the scene whose prompts it is scored against.
 */
public record TrainingBatch(float[] pixels, int cropSize, float[] mos, List<Scene> scenes) {
    public TrainingBatch {
        scenes = List.copyOf(scenes);
        if (mos.length == 0 || mos.length != scenes.size() || pixels.length != mos.length * 3 * cropSize * cropSize) {
            throw new IllegalArgumentException("batch of " + mos.length + " MOS values, " + scenes.size() + " scenes and "
                    + pixels.length + " pixel values; expected one scene per sample and 3·" + cropSize + "² values each");
        }
    }

    public int size() {
        return mos.length;
    }
}
