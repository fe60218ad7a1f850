package org.gammaiqa.scoring;

import java.util.Objects;
import org.gammaiqa.text.PromptSet;

/** How to score: the level prompts, the crop policy and its seed. */
public record ScoringOptions(PromptSet prompts, CropPolicy crops, long seed) {
    public ScoringOptions {
        Objects.requireNonNull(prompts, "prompts");
        Objects.requireNonNull(crops, "crops");
    }

    /** The paper's protocol with its defaults ({@link ScoringProtocol#defaults()}). */
    public static ScoringOptions defaults() {
        return ScoringProtocol.defaults();
    }

    public ScoringOptions withPrompts(PromptSet p) {
        return new ScoringOptions(p, crops, seed);
    }

    public ScoringOptions withCrops(CropPolicy c) {
        return new ScoringOptions(prompts, c, seed);
    }

    public ScoringOptions withSeed(long s) {
        return new ScoringOptions(prompts, crops, s);
    }
}
