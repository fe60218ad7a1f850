package org.gammaiqa.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.gammaiqa.checkpoint.CheckpointReader;
import org.gammaiqa.checkpoint.StateDict;
import org.gammaiqa.testing.TestAssets;
import org.junit.jupiter.api.Test;

/** The training construction (unfused MoAE, weights by key) computes what the fused inference network does. */
class TrainingNetworkTest {
    @Test
    void unfusedExpertsMatchTheFusedForm() throws Exception {
        StateDict sd = CheckpointReader.read(TestAssets.fixture("micro-fp16").resolve("gamma.pth"));
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            GammaNetwork fused = GammaNetwork.fromStateDict(sd, m, ai.djl.ndarray.types.DataType.FLOAT32);
            GammaNetwork training = GammaNetwork.forTraining(sd, m);
            assertThat(fused.parameters()).isEmpty();
            assertThat(training.parameters().keySet()).containsExactlyInAnyOrderElementsOf(sd.keys());
            float[] px = new float[2 * 3 * 224 * 224];
            Random rng = new Random(1);
            for (int i = 0; i < px.length; i++) {
                px[i] = (float) rng.nextGaussian();
            }
            NDArray pixels = m.create(px, new Shape(2, 3, 224, 224));
            float[] a = fused.imageFeatures(pixels).toFloatArray();
            float[] b = training.imageFeatures(pixels).toFloatArray();
            double worst = 0;
            for (int i = 0; i < a.length; i++) {
                worst = Math.max(worst, Math.abs(a[i] - b[i]));
            }
            System.out.println("fused vs unfused image features: largest difference " + worst);
            assertThat(worst).isLessThan(1e-5);  // float reassociation of the fused products only
        }
    }
}
