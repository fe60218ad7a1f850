/**
 * The Gamma network on libtorch (through DJL): configuration records derived from a checkpoint's
 * keys and shapes, the one table of checkpoint key spellings ({@link org.gammaiqa.model.CheckpointLayout}),
 * and one class per block — attention, MLP, mixture of assessment experts, residual block, the
 * vision and text towers, the feature adapter and the five-level head — composed by
 * {@link org.gammaiqa.model.GammaNetwork}. Weights are immutable once loaded; forward passes are
 * thread-safe and allocate only in the caller's native memory scope.
 */
package org.gammaiqa.model;
