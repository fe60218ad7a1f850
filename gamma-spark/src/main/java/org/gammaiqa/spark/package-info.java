/**
 * Gamma on Spark: {@link org.gammaiqa.spark.GammaScoring} adds score, levels and error columns to
 * a DataFrame of image paths or image bytes, scoring each partition in fixed-size batches with one
 * model per executor JVM ({@link org.gammaiqa.spark.ScorerHolder}, loaded lazily and checked by
 * SHA-256); {@link org.gammaiqa.spark.ScoreJob} is the spark-submit entry point that scores a folder
 * or a table of paths and writes Parquet or CSV.
 */
package org.gammaiqa.spark;
