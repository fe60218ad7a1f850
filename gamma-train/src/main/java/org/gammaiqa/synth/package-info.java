/**
 * Synthetic-distortion datasets in the KADID-10k style ({@code gamma synth}): reference images (given, or drawn
 * procedurally, {@link org.gammaiqa.synth.Procedural}, so no third-party picture is needed), each
 * degraded by every {@link org.gammaiqa.synth.Distortion} at increasing levels, written with a pyiqa meta-info CSV
 * whose {@code split} column {@code gamma train} reads directly ({@link org.gammaiqa.synth.SynthDataset}).
 * Everything is deterministic given the seed.
 */
package org.gammaiqa.synth;
