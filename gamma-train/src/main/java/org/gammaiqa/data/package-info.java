/**
 * Training data as the original option files describe it: the YAML config
 * ({@link org.gammaiqa.train.config.TrainConfig}, upstream key names, unknown keys reported by name), pyiqa's
 * meta-info CSVs and pickled split files ({@link org.gammaiqa.data.DatasetSpec#load}), per-dataset MOS
 * normalisation and the train-time transforms ({@link org.gammaiqa.data.Augment}).
 */
package org.gammaiqa.data;
