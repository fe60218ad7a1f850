/**
 * Training Gamma as released (docs/MODEL.md, "Training recipe"): growing MoAE from a plain CLIP state dict
 * ({@link org.gammaiqa.train.ModelGrowth}), the trainable network with its per-sample scene prompts
 * and MSE loss ({@link org.gammaiqa.train.TrainingModel}), torch's Adam and cosine schedule, the
 * epoch loop with checkpoints, validation and exact resume ({@link org.gammaiqa.train.Trainer}).
 */
package org.gammaiqa.train;
