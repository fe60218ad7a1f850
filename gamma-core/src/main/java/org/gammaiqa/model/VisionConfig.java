package org.gammaiqa.model;

/** Vision tower shape: patch size, the resolution its positional embedding was trained at, and the transformer. */
public record VisionConfig(int patchSize, int resolution, TransformerConfig transformer) {
    /** Checks the patch, the resolution and that the image splits into whole patches. */
    public VisionConfig {
        if (patchSize <= 0 || resolution <= 0 || resolution % patchSize != 0) {
            throw new IllegalArgumentException("resolution " + resolution + " must be a positive multiple of patch " + patchSize);
        }
    }

    /** Rows of the positional embedding: one per patch plus the class token. */
    public int positions() {
        int grid = resolution / patchSize;
        return grid * grid + 1;
    }
}
