package org.gammaiqa.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gamma export} with several checkpoints: their element-wise mean, refused when they do not match. */
class WeightAverageTest {
    @TempDir
    Path dir;

    @Test
    void averagesFloatsAndKeepsEqualIntegers() throws Exception {
        Path a = write("a", Map.of("w", floats(1f, -2f, 0.5f), "h", StoredTensor.ofFloats(new long[] {2},
                new float[] {1.5f, -3f}).toHalf(), "n", longs(7)));
        Path b = write("b", Map.of("w", floats(2f, 4f, 0.25f), "h", StoredTensor.ofFloats(new long[] {2},
                new float[] {1.5f, -3f}).toHalf(), "n", longs(7)));
        Path c = write("c", Map.of("w", floats(6f, 1f, 0.75f), "h", StoredTensor.ofFloats(new long[] {2},
                new float[] {1.5f, -3f}).toHalf(), "n", longs(7)));

        StateDict mean = WeightAverage.of(List.of(a, b, c));

        assertThat(mean.get("w").toFloats()).containsExactly(3f, 1f, 0.5f);
        assertThat(mean.get("w").shape()).containsExactly(3);
        assertThat(mean.get("h").dtype()).isEqualTo(DType.F32);
        assertThat(mean.get("h").toFloats()).containsExactly(1.5f, -3f);
        assertThat(mean.get("n").dtype()).isEqualTo(DType.I64);
        assertThat(mean.get("n").toLongs()).containsExactly(7);
    }

    @Test
    void refusesCheckpointsThatDiffer() throws Exception {
        Path a = write("a", Map.of("w", floats(1f, 2f, 3f), "n", longs(7)));
        Path missing = write("missing", Map.of("w", floats(1f, 2f, 3f)));
        Path extra = write("extra", Map.of("w", floats(1f, 2f, 3f), "n", longs(7), "x", floats(1f)));
        Path shape = write("shape", Map.of("w", floats(1f, 2f), "n", longs(7)));
        Path count = write("count", Map.of("w", floats(1f, 2f, 3f), "n", longs(8)));

        assertThatThrownBy(() -> WeightAverage.of(List.of(a, missing))).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("missing.safetensors").hasMessageContaining("no tensor 'n'");
        assertThatThrownBy(() -> WeightAverage.of(List.of(a, extra))).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("'x'");
        assertThatThrownBy(() -> WeightAverage.of(List.of(a, shape))).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("tensor 'w' is F32 [2] but F32 [3]");
        assertThatThrownBy(() -> WeightAverage.of(List.of(a, count))).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("tensor 'n' (I64) differs");
    }

    private Path write(String name, Map<String, StoredTensor> tensors) throws Exception {
        Path file = dir.resolve(name + ".safetensors");
        SafetensorsWriter.write(file, new StateDict(new LinkedHashMap<>(tensors)));
        return file;
    }

    private static StoredTensor floats(float... v) {
        return StoredTensor.ofFloats(new long[] {v.length}, v);
    }

    private static StoredTensor longs(long... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(v);
        return new StoredTensor(DType.I64, new long[] {v.length}, b);
    }
}
