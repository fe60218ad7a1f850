/**
 * Evaluation of a Gamma model on datasets' test splits with the paper's protocol (ten seeded random
 * 224 crops per image, through {@link org.gammaiqa.scoring.GammaScorer}): correlation and error
 * metrics as pure functions ({@link org.gammaiqa.eval.Metric}), a mean-MOS baseline beside every
 * result, tables in text, CSV or JSON, and prediction-vs-MOS scatter plots.
 */
package org.gammaiqa.eval;
