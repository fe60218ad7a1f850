package org.gammaiqa.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointReaderTest {
    private static final JsonNode EXPECTED;

    static {
        try {
            EXPECTED = new ObjectMapper().readTree(CheckpointTestFiles.fixture("expected.json").toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"zip_f32.pth", "zip_f16.pth", "zip_bf16.pth", "zip_i64_bare.pth", "zip_state_dict.pth",
            "zip_module_prefix.pth", "zip_views.pth", "legacy_f32.pth", "legacy_views.pth"})
    void readsEveryTensorExactly(String name) throws IOException {
        StateDict sd = CheckpointReader.read(CheckpointTestFiles.fixture(name));
        assertMatchesExpected(sd, EXPECTED.get(name));
    }

    @Test
    void keepsTypesAndFileOrder() throws IOException {
        StateDict sd = CheckpointReader.read(CheckpointTestFiles.fixture("zip_bf16.pth"));
        assertThat(sd.keys()).containsExactly("visual.conv1.weight", "visual.ln_pre.bias", "mlp.scale", "empty");
        assertThat(sd.get("visual.conv1.weight").dtype()).isEqualTo(DType.BF16);
        assertThat(sd.get("mlp.scale").rank()).isZero();
        assertThat(CheckpointReader.read(CheckpointTestFiles.fixture("zip_f16.pth")).get("empty").dtype()).isEqualTo(DType.F16);
        assertThat(CheckpointReader.read(CheckpointTestFiles.fixture("zip_i64_bare.pth")).get("big").toLongs())
                .containsExactly(1L << 40, -(1L << 50));
    }

    @Test
    void readsDeflatedEntriesAnyPrefixAndAnyFileName(@TempDir Path dir) throws IOException {
        byte[] pickle = CheckpointTestFiles.tensorPickle(6, 1, new long[] {2, 2}, new long[] {1, 2});
        byte[] data = new byte[24];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(new float[] {0, 1, 2, 3, 4, 5});
        Path file = CheckpointTestFiles.zip(dir.resolve("deflated.bin"),
                Map.of("some/prefix/data.pkl", pickle, "some/prefix/data/0", data));
        // offset 1, shape (2, 2), strides (1, 2): rows [1, 3], [2, 4]
        assertThat(CheckpointReader.read(file).get("w").toFloats()).containsExactly(1, 3, 2, 4);
    }

    static void assertMatchesExpected(StateDict sd, JsonNode expected) {
        List<String> keys = new ArrayList<>();
        expected.fieldNames().forEachRemaining(keys::add);
        assertThat(sd.keys()).containsExactlyInAnyOrderElementsOf(keys);
        for (String key : keys) {
            JsonNode e = expected.get(key);
            StoredTensor t = sd.get(key);
            List<Long> shape = new ArrayList<>();
            e.get("shape").forEach(n -> shape.add(n.asLong()));
            assertThat(t.shape()).as(key).containsExactly(shape.stream().mapToLong(Long::longValue).toArray());
            if (t.dtype() == DType.I64) {
                long[] want = new long[e.get("values").size()];
                for (int i = 0; i < want.length; i++) {
                    want[i] = e.get("values").get(i).asLong();
                }
                assertThat(t.toLongs()).as(key).containsExactly(want);
            } else {
                float[] want = new float[e.get("values").size()];
                for (int i = 0; i < want.length; i++) {
                    want[i] = (float) e.get("values").get(i).asDouble();
                }
                assertThat(t.toFloats()).as(key).containsExactly(want);
            }
        }
    }
}
