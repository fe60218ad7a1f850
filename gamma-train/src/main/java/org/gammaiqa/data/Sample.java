package org.gammaiqa.data;

import java.nio.file.Path;

/** One image of a dataset: its file and its MOS, normalised per SPEC §4 when the dataset asks for it. */
public record Sample(Path image, double mos) {}
