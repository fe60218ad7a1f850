package org.gammaiqa.model;

import java.util.List;

/**
 * Shape of one transformer tower: width, MLP hidden size, heads, and how many adaptive experts
 * each residual block holds (0 = a plain CLIP MLP, K ≥ 1 = a MoAE block with K adaptive experts).
 */
public record TransformerConfig(int width, int hidden, int heads, List<Integer> expertsPerLayer) {
    /** Checks the sizes, that the width splits into the heads, and that every layer's expert count is 0 or more. */
    public TransformerConfig {
        expertsPerLayer = List.copyOf(expertsPerLayer);
        if (width <= 0 || hidden <= 0) {
            throw new IllegalArgumentException("width and hidden must be positive, got " + width + ", " + hidden);
        }
        if (heads <= 0 || width % heads != 0) {
            throw new IllegalArgumentException("width " + width + " is not divisible into " + heads + " heads");
        }
        if (expertsPerLayer.isEmpty()) {
            throw new IllegalArgumentException("a transformer needs at least one layer");
        }
        for (int k : expertsPerLayer) {
            if (k < 0) {
                throw new IllegalArgumentException("negative expert count in " + expertsPerLayer);
            }
        }
    }

    /** The number of residual blocks. */
    public int layers() {
        return expertsPerLayer.size();
    }

    /** Number of blocks that carry experts. */
    public int expertLayers() {
        return (int) expertsPerLayer.stream().filter(k -> k > 0).count();
    }

    /** CLIP's head count for a width: one head per 64 channels (at least one). */
    public static int headsFor(int width) {
        return Math.max(1, width / 64);
    }
}
