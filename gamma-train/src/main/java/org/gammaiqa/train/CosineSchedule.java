package org.gammaiqa.train;

/**
 * torch's {@code CosineAnnealingLR}, stepped once per epoch: {@code lr(e) = η_min + (lr₀ − η_min)(1 + cos(πe/T))/2}.
 * Parity: evaluated with torch's recursive update (not the closed form), so the float64 values match step for step.
 */
public record CosineSchedule(double baseLr, int tMax, double etaMin) {
    public CosineSchedule {
        if (!(baseLr > 0) || tMax < 1 || etaMin < 0) {
            throw new IllegalArgumentException("cosine schedule needs lr > 0, T_max ≥ 1 and eta_min ≥ 0, got lr " + baseLr
                    + ", T_max " + tMax + ", eta_min " + etaMin + " (check train.optim.lr and train.scheduler)");
        }
    }

    /** The learning rate during epoch {@code epoch} (0-based). */
    public double lr(int epoch) {
        double lr = baseLr;
        for (int e = 1; e <= epoch; e++) {
            if ((e - 1 - tMax) % (2 * tMax) == 0) {
                lr = lr + (baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            } else {
                lr = (1 + Math.cos(Math.PI * e / tMax)) / (1 + Math.cos(Math.PI * (e - 1) / tMax)) * (lr - etaMin) + etaMin;
            }
        }
        return lr;
    }
}
