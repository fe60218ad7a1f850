/**
 * Gamma for DJL users: {@link org.gammaiqa.djl.GammaModelZoo} (group {@code org.gammaiqa}, artifact {@code gamma})
 * loads a Gamma checkpoint, or the built-in demo model, through {@code Criteria}; the {@code ZooModel} it gives
 * scores DJL {@code Image}s through a {@code Predictor}. The scores are {@link org.gammaiqa.scoring.GammaScorer}'s:
 * the block delegates to it.
 */
package org.gammaiqa.djl;
