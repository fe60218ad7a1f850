package org.gammaiqa.scoring;

import java.util.List;

/**
 * The assessment of one image: the score (0–1, higher is better), the probability of each quality
 * level (bad → perfect), averaged over the crops, and how the image was treated.
 *
 * @param prompts   name of the prompt set (the scene, or a custom file)
 * @param crops     number of crops averaged
 * @param upscaled  true when the image was smaller than a crop and was upscaled first (the original fails on it)
 * @param width     width of the decoded image, before any upscaling
 * @param height    height of the decoded image, before any upscaling
 */
public record ScoreResult(double score, List<Double> levels, String prompts, int crops, boolean upscaled,
                          int width, int height) {
    public ScoreResult {
        levels = List.copyOf(levels);
    }
}
