package org.gammaiqa.model;

/**
 * Every hyper-parameter of a Gamma network, as derived from a checkpoint's keys and shapes
 * (docs/MODEL.md, "Network"): both towers, the joint embedding size, the adapter's hidden size and the number of
 * quality levels of the head.
 */
public record GammaConfig(VisionConfig vision, TextConfig text, int embedDim, int adapterHidden, int levels) {
    public GammaConfig {
        if (embedDim <= 0 || adapterHidden <= 0) {
            throw new IllegalArgumentException("embed dim " + embedDim + " and adapter hidden " + adapterHidden + " must be positive");
        }
        if (levels < 2) {
            throw new IllegalArgumentException("the head needs at least two quality levels, got " + levels);
        }
    }
}
