package org.gammaiqa.train;

import java.util.Collections;
import org.gammaiqa.model.GammaConfig;
import org.gammaiqa.model.TextConfig;
import org.gammaiqa.model.TransformerConfig;
import org.gammaiqa.model.VisionConfig;
import org.gammaiqa.scoring.ScoringProtocol;
import org.gammaiqa.text.ByteTokenizer;

/**
 * The plain CLIP architecture of a backbone built from random weights ({@code network.scratch}), for small models
 * trained from scratch such as the demo model; its text tower reads bytes ({@link ByteTokenizer}). Heads follow
 * CLIP's rule of one per 64 channels; MLPs are 4× wide; the resolution is the protocol's crop size.
 */
public record ScratchArchitecture(int visionWidth, int visionLayers, int patchSize, int textWidth, int textLayers,
                                  int contextLength, int embedDim) {
    public static final int RESOLUTION = ScoringProtocol.CROP_SIZE;

    public ScratchArchitecture {
        if (visionWidth < 1 || visionLayers < 1 || textWidth < 1 || textLayers < 1 || embedDim < 2 || contextLength < 2) {
            throw new IllegalArgumentException("network.scratch: widths, layers and embed_dim must be ≥ 1 (embed_dim ≥ 2) "
                    + "and context_length ≥ 2; got vision " + visionWidth + "×" + visionLayers + ", text " + textWidth + "×"
                    + textLayers + ", embed " + embedDim + ", context " + contextLength);
        }
        if (patchSize < 1 || RESOLUTION % patchSize != 0) {
            throw new IllegalArgumentException("network.scratch.patch_size is " + patchSize + "; expected a divisor of "
                    + RESOLUTION + " (e.g. 16 or 32)");
        }
    }

    /** The backbone's configuration: no experts yet, adapter E/2, five levels. */
    public GammaConfig plainConfig() {
        return new GammaConfig(
                new VisionConfig(patchSize, RESOLUTION, tower(visionWidth, visionLayers)),
                new TextConfig(ByteTokenizer.VOCABULARY_SIZE, contextLength, tower(textWidth, textLayers)),
                embedDim, embedDim / 2, 5);
    }

    private static TransformerConfig tower(int width, int layers) {
        return new TransformerConfig(width, 4 * width, TransformerConfig.headsFor(width), Collections.nCopies(layers, 0));
    }
}
