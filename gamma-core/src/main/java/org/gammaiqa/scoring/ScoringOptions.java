package org.gammaiqa.scoring;

import java.util.Objects;
import org.gammaiqa.text.PromptSet;
import org.gammaiqa.text.Scene;

/** How to score: the level prompts, the crop policy and its seed. */
public record ScoringOptions(PromptSet prompts, CropPolicy crops, long seed) {
    /** Side of the square crops the paper's protocol feeds the network. */
    public static final int CROP_SIZE = 224;

    /** Checks that prompts and crops are given. */
    public ScoringOptions {
        Objects.requireNonNull(prompts, "prompts");
        Objects.requireNonNull(crops, "crops");
    }

    /** The paper's protocol: generic prompts, ten random crops, seed 0. */
    public static ScoringOptions defaults() {
        return new ScoringOptions(Scene.GENERIC.prompts(), new CropPolicy.Random(10), 0);
    }

    /** These options with another prompt set. */
    public ScoringOptions withPrompts(PromptSet p) {
        return new ScoringOptions(p, crops, seed);
    }

    /** These options with another crop policy. */
    public ScoringOptions withCrops(CropPolicy c) {
        return new ScoringOptions(prompts, c, seed);
    }

    /** These options with another seed for random crops. */
    public ScoringOptions withSeed(long s) {
        return new ScoringOptions(prompts, crops, s);
    }
}
