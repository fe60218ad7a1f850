package org.gammaiqa.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The schedule against torch 1.13's CosineAnnealingLR(T_max=10, eta_min=0), lr 2e-5, stepped per epoch. */
class CosineScheduleTest {
    /** {@code [o.param_groups[0]["lr"] for each epoch]} from torch, past T_max into the second half-period. */
    private static final double[] TORCH = {2e-05, 1.9510565162951538e-05, 1.8090169943749477e-05, 1.5877852522924733e-05,
        1.3090169943749475e-05, 1e-05, 6.909830056250527e-06, 4.12214747707527e-06, 1.9098300562505266e-06,
        4.894348370484647e-07, 0.0, 4.894348370484648e-07, 1.9098300562505334e-06, 4.122147477075287e-06,
        6.9098300562505575e-06, 1.0000000000000045e-05, 1.3090169943749533e-05, 1.5877852522924804e-05,
        1.809016994374956e-05, 1.951056516295163e-05, 2.0000000000000093e-05, 1.9510565162951626e-05,
        1.8090169943749565e-05, 1.5877852522924807e-05, 1.3090169943749536e-05};

    @Test
    void matchesTorchExactly() {
        CosineSchedule s = new CosineSchedule(2e-5, 10, 0);
        for (int e = 0; e < TORCH.length; e++) {
            assertThat(s.lr(e)).as("epoch %d", e).isEqualTo(TORCH[e]);
        }
    }
}
