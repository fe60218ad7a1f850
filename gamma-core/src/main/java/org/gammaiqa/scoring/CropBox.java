package org.gammaiqa.scoring;

/** A square crop: its top-left corner and side, in pixels of the (possibly upscaled) image. */
public record CropBox(int left, int top, int size) {
    /** Checks that the corner is not negative and the side is positive. */
    public CropBox {
        if (left < 0 || top < 0 || size <= 0) {
            throw new IllegalArgumentException("invalid crop at (" + left + ", " + top + ") of side " + size);
        }
    }
}
