package org.gammaiqa.text;

import org.gammaiqa.testing.TestAssets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokenizer's contract beyond parity: vocabulary checks, argument checks, padding. */
class TokenizerTest {
    private static ClipTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = ClipTokenizer.load(TestAssets.vocabulary());
    }

    @Test
    void clipVocabularyHasItsKnownSize() {
        assertThat(tokenizer.vocabularySize()).isEqualTo(49408);
        assertThat(tokenizer.startToken()).isEqualTo(49406);
        assertThat(tokenizer.endToken()).isEqualTo(49407);
    }

    @Test
    void tokenizePadsWithZeros() {
        int[] row = tokenizer.tokenize("good image", 8);
        assertThat(row).containsExactly(49406, 886, 2867, 49407, 0, 0, 0, 0);
    }

    @Test
    void digitsAreOneTokenEach() {
        assertThat(tokenizer.encode("1234")).hasSize(4);
    }

    @Test
    void contextTooSmallForStartAndEndIsRejected() {
        assertThatThrownBy(() -> tokenizer.tokenize("", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("context length 1");
    }

    @Test
    void unpairedSurrogateIsRejected() {
        assertThatThrownBy(() -> tokenizer.encode("bad \uD800 image"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+D800")
                .hasMessageContaining("index 4");
    }

    @Test
    void missingVocabularyNamesTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("bpe_simple_vocab_16e6.txt.gz");
        assertThatThrownBy(() -> ClipTokenizer.load(missing))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("CLIP repository");
    }

    @Test
    void fileThatIsNotGzipIsRejected(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("vocab.txt.gz"), "i n\nt h\n");
        assertThatThrownBy(() -> ClipTokenizer.load(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not CLIP's BPE vocabulary")
                .hasMessageContaining("gzip");
    }

    @Test
    void gzipThatIsNotTheClipVocabularyIsRejected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("other.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("#version: 0.2\ni n\nt h\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> ClipTokenizer.load(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("48894 merge lines, found header '#version: 0.2' and 3 lines");
    }

    @Test
    void mergeOfUnknownSymbolsIsRejected(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.txt.gz");
        StringBuilder text = new StringBuilder("#version: 0.2\nzz q\n");
        text.append("i n\n".repeat(48900));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> ClipTokenizer.load(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("line 2 'zz q' is not a merge of two symbols defined before it");
    }
}
