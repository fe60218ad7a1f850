package org.gammaiqa.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gammaiqa.checkpoint.CheckpointTestFiles.PickleBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readers' budgets and structure rules, in process; HostileCheckpointTest (gamma-cli) runs whole files through the CLI. */
class CheckpointBudgetsTest {
    @TempDir
    Path dir;

    @Test
    void sixtyThousandTensorsShareOneMapping() throws IOException {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 60_000; i++) {
            json.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[")
                    .append(i).append(',').append(i + 1).append("]}");
        }
        Path file = HostileCheckpoints.safetensors(dir, "many", json.append('}').toString(), 60_000);
        long before = mappings();
        StateDict sd = CheckpointReader.read(file);
        long during = mappings();
        assertThat(sd.size()).isEqualTo(60_000);
        assertThat(sd.get("t59999").data().get(0)).isZero();
        assertThat(during - before).as("new memory mappings").isLessThan(8);
    }

    @Test
    void safetensorsDataMustTileWithoutGaps() throws IOException {
        Path gap = HostileCheckpoints.safetensors(dir, "gap",
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[3,5]}}", 5);
        assertThatThrownBy(() -> CheckpointReader.read(gap)).hasMessageContaining("leaving a gap after byte 2");
        Path tail = HostileCheckpoints.safetensors(dir, "tail",
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 9);
        assertThatThrownBy(() -> CheckpointReader.read(tail)).hasMessageContaining("7 bytes after its last tensor");
    }

    @Test
    void unpicklerBudgets() {
        PickleBytes deep = new PickleBytes().op(0x80, 2);
        for (int i = 0; i < 200; i++) {
            deep.op(']');
        }
        for (int i = 1; i < 200; i++) {
            deep.op('a');
        }
        assertThatThrownBy(() -> SafeUnpickler.loadData(deep.op('.').bytes()))
                .isInstanceOf(UnpicklingException.class).hasMessageContaining("nested more than 100 deep");
        byte[] digits = new PickleBytes().raw("I" + "9".repeat(1001) + "\n.").bytes();
        assertThatThrownBy(() -> SafeUnpickler.loadData(digits)).hasMessageContaining("an int of 1001 digits (at most 1000)");
        byte[] setOfLists = new PickleBytes().op(0x80, 4, 0x8f, '(', ']', 0x90, '.').bytes();
        assertThatThrownBy(() -> SafeUnpickler.loadData(setOfLists)).hasMessageContaining("refused set member a list of 0");
        assertThat(SafeUnpickler.loadData(new PickleBytes().raw("L" + "9".repeat(1000) + "L\n.").bytes()))
                .hasToString("9".repeat(1000));
    }

    @Test
    void safeTextEscapesWhatATerminalWouldObey() {
        assertThat(SafeText.line("a\nb\r\t\u001b[31m\u0007\u009b\u202e\u2028é✓"))
                .isEqualTo("a\\nb\\r\\t\\x1b[31m\\x07\\x9b\\u202e\\u2028é✓");
        assertThat(SafeText.line("x".repeat(5000))).hasSize(SafeText.MAX_LENGTH).endsWith("…");
        assertThat(SafeText.line("x".repeat(SafeText.MAX_LENGTH))).isEqualTo("x".repeat(SafeText.MAX_LENGTH));
    }

    private static long mappings() throws IOException {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.count();
        }
    }
}
