package org.gammaiqa.train.config;

/**
 * What a run writes besides its metrics ({@code logger}).
 *
 * @param saveLatestFreq   steps between {@code latest} checkpoints ({@code logger.save_latest_freq})
 * @param saveEpochWeights keep the weights of every epoch's end as {@code epoch-N.safetensors}
 *                         ({@code logger.save_epoch_weights}, default false), e.g. for weight averaging
 */
public record LoggingConfig(int saveLatestFreq, boolean saveEpochWeights) {
    static LoggingConfig parse(ConfigNode root) {
        ConfigNode logger = root.node("logger");
        logger.ignore("print_freq", "log_imgs_freq", "use_tb_logger", "wandb");
        int saveLatest = logger.integer("save_latest_freq", 10000);
        boolean saveEpochWeights = logger.bool("save_epoch_weights", false);
        logger.finish();
        return new LoggingConfig(saveLatest, saveEpochWeights);
    }
}
