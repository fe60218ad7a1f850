package org.gammaiqa.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.gammaiqa.checkpoint.CheckpointTestFiles.PickleBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointSafeUnpicklerTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void readsPlainDataOfEveryProtocol(int protocol) throws IOException {
        Object data = SafeUnpickler.loadData(Files.readAllBytes(CheckpointTestFiles.fixture("plain_p" + protocol + ".pkl")));
        assertThat(data).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<Object, Object> map = (Map<Object, Object>) data;
        assertThat(map.keySet()).containsExactly("train", "val", "name", "pair", "big");
        assertThat(map.get("train")).asList().containsExactly(1, 2, 300000, -4);
        assertThat(map.get("val")).asList().isEmpty();
        assertThat(map.get("name")).isEqualTo("koniq-10k");
        assertThat((Object[]) map.get("pair")).containsExactly(7, 8.5);
        assertThat(((Number) map.get("big")).longValue()).isEqualTo(1L << 40);
    }

    @Test
    void refusesTorchGlobalsAndPersistentIdsInPlainData() {
        byte[] global = new PickleBytes().op(0x80, 2).global("torch._utils", "_rebuild_tensor_v2").op('.').bytes();
        assertThatThrownBy(() -> SafeUnpickler.loadData(global)).hasMessageContaining("refused global 'torch._utils._rebuild_tensor_v2'");
        byte[] pid = new PickleBytes().op(0x80, 2).str("x").op('Q', '.').bytes();
        assertThatThrownBy(() -> SafeUnpickler.loadData(pid)).hasMessageContaining("refused persistent id");
    }

    @Test
    void refusesLengthsBeyondTheData() {
        byte[] huge = new PickleBytes().op(0x80, 4, 0x8e, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0).bytes();
        assertThatThrownBy(() -> SafeUnpickler.loadData(huge)).hasMessageContaining("only 0 bytes are left");
    }
}
