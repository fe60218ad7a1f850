package org.gammaiqa.scoring;

import java.util.List;

/**
 * The assessment of one image: the score (0–1, higher is better), the probability of each quality
 * level (bad → perfect), averaged over the crops, and how the image was treated.
 *
 * @param score     the expected quality level over the crops, 0 (bad) to 1 (perfect)
 * @param levels    probability of each quality level, bad → perfect, averaged over the crops
 * @param prompts   name of the prompt set (the scene, or a custom file)
 * @param crops     number of crops averaged
 * @param upscaled  true when the image was smaller than a crop and was upscaled first (the original fails on it)
 * @param width     width of the decoded image, before any upscaling
 * @param height    height of the decoded image, before any upscaling
 * @param model     name of the model that scored it: the checkpoint's file name, or {@link DemoModel#NAME}
 * @param modelSha256 lower-case hex SHA-256 of that model's checkpoint file
 */
public record ScoreResult(double score, List<Double> levels, String prompts, int crops, boolean upscaled,
                          int width, int height, String model, String modelSha256) {
    /** Keeps an unmodifiable copy of the levels. */
    public ScoreResult {
        levels = List.copyOf(levels);
    }
}
