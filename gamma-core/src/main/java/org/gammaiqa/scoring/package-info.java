/**
 * Scoring images with a loaded model: {@link org.gammaiqa.scoring.GammaScorer} (the library entry
 * point), the test protocol's crop policies (seeded random crops, centre, five-crop), the batching
 * of crops into shared forward passes, and a pipeline that scores a stream of files with decoding
 * ahead of the network and per-file errors. {@link org.gammaiqa.scoring.DemoModel} is the small built-in
 * model used when no checkpoint is given.
 */
package org.gammaiqa.scoring;
