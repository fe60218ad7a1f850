package org.gammaiqa.train;

/**
 * A pairwise ranking term added to the MSE ({@code train.rank_loss_opt}, not part of the released recipe): every
 * batch holds {@code seriesPerBatch} whole series of a full-reference dataset (a reference and its distortions of
 * one type, {@link Sample}), each series' images cropped and flipped alike, the rest of the batch drawn as usual;
 * for each pair of images of a series whose MOS differ, {@code τ·softplus(−(s_better − s_worse)/τ)}, averaged over
 * the pairs and multiplied by {@code weight}.
 *
 * @param weight         {@code loss_weight}
 * @param temperature    {@code temperature} τ, on the score's scale: score gaps well above it cost almost nothing
 * @param seriesPerBatch {@code series_per_batch}; each takes up to batch size / series_per_batch images
 */
public record RankLoss(double weight, double temperature, int seriesPerBatch) {
    public RankLoss {
        if (!(weight > 0) || !(temperature > 0) || seriesPerBatch < 1) {
            throw new IllegalArgumentException("loss_weight " + weight + " and temperature " + temperature
                    + " must be > 0 and series_per_batch " + seriesPerBatch + " ≥ 1");
        }
    }
}
