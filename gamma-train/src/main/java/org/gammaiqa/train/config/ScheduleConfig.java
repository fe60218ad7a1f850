package org.gammaiqa.train.config;

/**
 * How long a run trains and how its learning rate moves: torch's CosineAnnealingLR stepped per epoch
 * ({@code train.total_epoch}, {@code train.scheduler}).
 */
public record ScheduleConfig(int totalEpochs, int tMax, double etaMin) {
    /** Reads {@code train.total_epoch} and {@code train.scheduler}; T_max defaults to the epochs. */
    static ScheduleConfig parse(ConfigNode train) {
        ConfigNode sched = train.node("scheduler");
        TrainConfig.expect(sched, "type", "CosineAnnealingLR");
        int totalEpochs = train.integer("total_epoch", 10);
        int tMax = sched.integer("T_max", totalEpochs);
        double etaMin = sched.number("eta_min", 0);
        sched.finish();
        train.ignore("total_iter");
        return new ScheduleConfig(totalEpochs, tMax, etaMin);
    }
}
