/**
 * Local quality maps: an image scored on a regular grid of 224×224 windows, each window the network's own input, so
 * that the map shows where quality drops inside the image. {@link org.gammaiqa.map.WindowGrid} lays the windows out,
 * {@link org.gammaiqa.map.QualityMapper} scores them through {@link org.gammaiqa.scoring.GammaScorer},
 * {@link org.gammaiqa.map.QualityMap} holds the result and its JSON form, and {@link org.gammaiqa.map.MapRenderer}
 * draws it over the image in a perceptually uniform colour map ({@link org.gammaiqa.map.Viridis}).
 */
package org.gammaiqa.map;
