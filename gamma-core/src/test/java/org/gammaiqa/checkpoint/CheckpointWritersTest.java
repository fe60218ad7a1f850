package org.gammaiqa.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointWritersTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"zip_f32.pth", "zip_f16.pth", "zip_bf16.pth", "zip_i64_bare.pth", "zip_views.pth"})
    void safetensorsRoundTripIsBitIdentical(String name) throws IOException {
        StateDict original = CheckpointReader.read(CheckpointTestFiles.fixture(name));
        Path file = dir.resolve(name + ".safetensors");
        SafetensorsWriter.write(file, original);
        assertSame(original, CheckpointReader.read(file));
        assertThat(Files.list(dir)).containsExactly(file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zip_f32.pth", "zip_bf16.pth", "zip_i64_bare.pth", "legacy_views.pth"})
    void torchRoundTripIsBitIdentical(String name) throws IOException {
        StateDict original = CheckpointReader.read(CheckpointTestFiles.fixture(name));
        Path wrapped = dir.resolve("wrapped.pth");
        Path bare = dir.resolve("bare.pth");
        TorchCheckpointWriter.write(wrapped, original, "params");
        TorchCheckpointWriter.write(bare, original, null);
        assertSame(original, CheckpointReader.read(wrapped));
        assertSame(original, CheckpointReader.read(bare));
    }

    private static void assertSame(StateDict expected, StateDict actual) {
        assertThat(actual.keys()).containsExactlyElementsOf(expected.keys());
        for (String key : expected.keys()) {
            StoredTensor e = expected.get(key);
            StoredTensor a = actual.get(key);
            assertThat(a.dtype()).as(key).isEqualTo(e.dtype());
            assertThat(a.shape()).as(key).containsExactly(e.shape());
            assertThat(a.data()).as(key).isEqualTo(e.data());
        }
    }
}
