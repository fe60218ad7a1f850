package org.gammaiqa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gammaiqa.checkpoint.CheckpointReader;
import org.gammaiqa.checkpoint.DType;
import org.gammaiqa.checkpoint.SafetensorsWriter;
import org.gammaiqa.checkpoint.StateDict;
import org.gammaiqa.checkpoint.StoredTensor;
import org.gammaiqa.testing.TestAssets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gamma export}: float16 storage, and several checkpoints written as their mean (weight averaging). */
class ExportCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheMeanOfSeveralCheckpointsAsFloat16() throws Exception {
        StateDict original = CheckpointReader.read(TestAssets.fixture("micro-fp16").resolve("gamma.pth"));
        Path doubled = write("doubled", original, 2f);
        Path zeroed = write("zeroed", original, 0f);
        Path out = dir.resolve("mean.safetensors");

        ScoreCommandTest.Run run = ScoreCommandTest.gamma("export", "--model", doubled.toString(), zeroed.toString(),
                "--half", "--out", out.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("the mean of 2 checkpoints");
        StateDict mean = CheckpointReader.read(out);
        assertThat(mean.keys()).containsExactlyElementsOf(original.keys());
        for (String key : original.keys()) {
            StoredTensor o = original.get(key);
            StoredTensor m = mean.get(key);
            assertThat(m.dtype()).as(key).isEqualTo(o.dtype().isFloatingPoint() ? DType.F16 : o.dtype());
            float[] want = StoredTensor.ofFloats(o.shape(), o.toFloats()).toHalf().toFloats();
            float[] got = m.toFloats();
            assertThat(got.length).as(key).isEqualTo(want.length);
            for (int i = 0; i < got.length; i++) {
                if (got[i] != want[i]) {   // numerically: the sum of −0 and 0 is 0
                    throw new AssertionError(key + "[" + i + "]: " + got[i] + " but expected " + want[i]);
                }
            }
        }
    }

    @Test
    void refusesCheckpointsOfDifferentArchitectures() throws Exception {
        StateDict original = CheckpointReader.read(TestAssets.fixture("micro-fp16").resolve("gamma.pth"));
        Map<String, StoredTensor> fewer = new LinkedHashMap<>(original.asMap());
        fewer.remove("clip_model.logit_scale");
        Path a = write("a", original, 1f);
        Path b = dir.resolve("b.safetensors");
        SafetensorsWriter.write(b, new StateDict(fewer));

        ScoreCommandTest.Run run = ScoreCommandTest.gamma("export", "--model", a.toString(), b.toString(),
                "--out", dir.resolve("mean.safetensors").toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("b.safetensors").contains("no tensor 'clip_model.logit_scale'");
        assertThat(dir.resolve("mean.safetensors")).doesNotExist();
    }

    /** The checkpoint with every floating-point tensor multiplied by {@code factor}. */
    private Path write(String name, StateDict sd, float factor) throws Exception {
        Map<String, StoredTensor> scaled = new LinkedHashMap<>();
        for (String key : sd.keys()) {
            StoredTensor t = sd.get(key);
            if (t.dtype().isFloatingPoint()) {
                float[] v = t.toFloats();
                for (int i = 0; i < v.length; i++) {
                    v[i] *= factor;
                }
                t = StoredTensor.ofFloats(t.shape(), v);
            }
            scaled.put(key, t);
        }
        Path file = dir.resolve(name + ".safetensors");
        SafetensorsWriter.write(file, new StateDict(scaled));
        return file;
    }
}
