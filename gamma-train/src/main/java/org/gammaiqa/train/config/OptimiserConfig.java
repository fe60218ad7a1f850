package org.gammaiqa.train.config;

import org.gammaiqa.train.RankLoss;
import org.gammaiqa.train.Trainable;

/**
 * What is optimised and how ({@code train.optim}, {@code train.trainable}, the losses): torch's Adam without weight
 * decay on the trainable weights, MSE on the normalised MOS, optionally plus a ranking term.
 *
 * @param trainable  the weights that train ({@code train.trainable}; default the released set, {@code experts})
 * @param lossWeight weight of the MSE ({@code train.mos_loss_opt.loss_weight})
 * @param rankLoss   the pairwise ranking term over series ({@code train.rank_loss_opt}), or null for MSE alone
 */
public record OptimiserConfig(double lr, Trainable trainable, double lossWeight, RankLoss rankLoss) {
    /** Reads {@code train.optim}, {@code train.trainable}, {@code train.warmup_iter} and the loss options of {@code train}. */
    static OptimiserConfig parse(ConfigNode train) {
        ConfigNode optim = train.node("optim");
        TrainConfig.expect(optim, "type", "Adam");
        double lr = optim.number("lr", 2e-5);
        optim.ignore("lr_clip_model");  // only the experts, adapter and levels train; CLIP is frozen
        if (optim.number("weight_decay", 0) != 0) {
            optim.problem("weight_decay", "must be 0: the released recipe uses Adam without weight decay");
        }
        optim.finish();
        String trainableName = train.string("trainable", Trainable.EXPERTS.id());
        Trainable trainable = Trainable.parse(trainableName);
        if (trainable == null) {
            train.problem("trainable", "is '" + trainableName + "'; expected experts (the released recipe: adaptive "
                    + "experts, routers, scales, adapter, score_level), vision (the vision tower, adapter and score_level: "
                    + "for a model from scratch) or all (every weight)");
        }
        if (train.number("warmup_iter", -1) > 0) {
            train.problem("warmup_iter", "is positive; warm-up is not part of the released recipe (use -1)");
        }
        ConfigNode loss = train.node("mos_loss_opt");
        TrainConfig.expect(loss, "type", "MSELoss");
        double lossWeight = loss.number("loss_weight", 1.0);
        loss.finish();
        RankLoss rankLoss = null;
        if (train.has("rank_loss_opt")) {
            ConfigNode rank = train.node("rank_loss_opt");
            TrainConfig.expect(rank, "type", "PairwiseRankLoss");
            try {
                rankLoss = new RankLoss(rank.number("loss_weight", 1.0), rank.number("temperature", 0.05),
                        rank.integer("series_per_batch", 10));
            } catch (IllegalArgumentException e) {
                train.problem("rank_loss_opt", e.getMessage());
            }
            rank.finish();
        }
        return new OptimiserConfig(lr, trainable, lossWeight, rankLoss);
    }
}
