package org.gammaiqa.data;

import java.nio.file.Path;

/**
 * One image of a dataset: its file and its MOS, normalised (docs/MODEL.md, "Training recipe") when the dataset asks for it.
 *
 * @param reference  for a full-reference dataset's row, the reference image it distorts (its {@code ref} column);
 *                   null for no-reference datasets
 * @param distortion for a full-reference row, its distortion type (the {@code type} column, "" without one), or
 *                   null when the row is the reference itself
 */
public record Sample(Path image, double mos, String reference, String distortion) {
    /** A no-reference sample. */
    public Sample(Path image, double mos) {
        this(image, mos, null, null);
    }
}
