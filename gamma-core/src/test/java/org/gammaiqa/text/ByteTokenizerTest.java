package org.gammaiqa.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The demo model's file-free tokenizer, and how a checkpoint's vocabulary size picks the tokenizer. */
class ByteTokenizerTest {
    @Test
    void bytesBetweenStartAndEndZeroPadded() {
        int[] row = new ByteTokenizer().tokenize("  Good\tImage ", 14);
        assertThat(row).containsExactly(256, 'g', 'o', 'o', 'd', ' ', 'i', 'm', 'a', 'g', 'e', 257, 0, 0);
    }

    @Test
    void tooLongIsRefusedNotCut() {
        assertThatThrownBy(() -> new ByteTokenizer().tokenize("perfect image", 8))
                .hasMessageContaining("15 byte tokens").hasMessageContaining("context length 8");
    }

    @Test
    void vocabularySizeChoosesTheTokenizer() throws IOException {
        assertThat(Tokenizer.forModel(ByteTokenizer.VOCABULARY_SIZE, null)).isInstanceOf(ByteTokenizer.class);
        assertThatThrownBy(() -> Tokenizer.forModel(49408, null))
                .isInstanceOf(IOException.class).hasMessageContaining("49408").hasMessageContaining("--vocab");
    }
}
