package org.gammaiqa.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Three Adam steps against torch 1.13's {@code torch.optim.Adam(lr=1e-2)} on gradients that include ones near ε,
 * where DJL's own Adam differs by up to 25 %. Values printed by the script in the comment below.
 */
class TorchAdamTest {
    // p = Parameter([0.5, -1, 2, 1e-3, 0]); for g in GRADS: zero_grad(); (p * g).sum().backward(); step()
    private static final float[][] GRADS = {{0.3f, -2.0f, 1e-9f, 5e-8f, 0f}, {-0.1f, -1.0f, 2e-9f, -5e-8f, 1f},
        {0.2f, 3.0f, -1e-9f, 1e-7f, -0.5f}};
    private static final float[][] TORCH = {
        {0.49000000953674316f, -0.9900000095367432f, 1.9990909099578857f, -0.007333332672715187f, 0.0f},
        {0.4859978258609772f, -0.9806782007217407f, 1.9977730512619019f, -0.006894736085087061f, -0.007441367954015732f},
        {0.4799669682979584f, -0.9814979434013367f, 1.9972525835037231f, -0.011259973049163818f, -0.009727771393954754f}};

    @Test
    void matchesTorchOverSeveralSteps() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray p = m.create(new float[] {0.5f, -1f, 2f, 1e-3f, 0f});
            p.setRequiresGradient(true);
            TorchAdam adam = new TorchAdam(Map.of("p", p), m);
            for (int s = 0; s < GRADS.length; s++) {
                try (NDManager step = m.newSubManager()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(p.mul(step.create(GRADS[s])).sum());
                    }
                    adam.step(1e-2, step);
                }
                float[] got = p.toFloatArray();
                for (int i = 0; i < got.length; i++) {
                    assertThat(got[i]).as("step %d element %d", s + 1, i).isCloseTo(TORCH[s][i], within(2e-7f));
                }
            }
            assertThat(adam.steps()).isEqualTo(3);
        }
    }
}
