package org.gammaiqa.train;

import java.util.Arrays;
import java.util.Locale;
import org.gammaiqa.model.CheckpointLayout;

/** Which weights a training run updates ({@code train.trainable}); the rest stay as loaded. */
public enum Trainable {
    /** The released set (docs/MODEL.md, "Training recipe"): adaptive experts, routers and scales of both towers, adapter, score_level. */
    EXPERTS,
    /**
     * The whole vision tower, the adapter and score_level; the text tower (and {@code logit_scale}) stays frozen, so
     * the level prompts keep distinct features for the images to be matched against. For models from scratch.
     */
    VISION,
    /**
     * Every weight but {@code logit_scale}. From random weights this tends to collapse the five level prompts onto
     * one feature (all prompts alike: the model falls back to the mean score); prefer {@link #VISION} there.
     */
    ALL;

    /** True when the weight named {@code key} (a Gamma checkpoint key) trains. */
    public boolean includes(String key) {
        return switch (this) {
            case EXPERTS -> CheckpointLayout.isTrainable(key);
            case VISION -> CheckpointLayout.partOf(key) != CheckpointLayout.Part.TEXT;
            case ALL -> !key.equals(CheckpointLayout.logitScale());
        };
    }

    /** The lower-case name used in option files. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value named {@code id}, or null when none is. */
    public static Trainable parse(String id) {
        return Arrays.stream(values()).filter(t -> t.id().equals(id)).findFirst().orElse(null);
    }
}
