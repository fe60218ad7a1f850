package org.gammaiqa.text;

import java.nio.charset.StandardCharsets;

/**
 * A vocabulary-free tokenizer for small text towers trained from scratch (the demo model): each UTF-8 byte
 * of the lower-cased, whitespace-collapsed prompt is one id (0–255), then start = 256 and end = 257. The end
 * token has the largest id, so the text tower's arg-max pooling finds it as with CLIP's. Immutable.
 */
public final class ByteTokenizer implements Tokenizer {
    /** 256 byte ids plus start and end. */
    public static final int VOCABULARY_SIZE = 258;
    private static final int START = 256;
    private static final int END = 257;

    @Override
    public int[] tokenize(String text, int contextLength) {
        byte[] bytes = PythonStrings.strip(text).replaceAll("\\s+", " ").toLowerCase(java.util.Locale.ROOT)
                .getBytes(StandardCharsets.UTF_8);
        if (bytes.length + 2 > contextLength) {
            throw new IllegalArgumentException("text has " + (bytes.length + 2)
                    + " byte tokens with start and end, more than the context length " + contextLength
                    + ": \"" + text + "\"; shorten it (the model cannot read more)");
        }
        int[] row = new int[contextLength];
        row[0] = START;
        for (int i = 0; i < bytes.length; i++) {
            row[i + 1] = bytes[i] & 0xff;
        }
        row[bytes.length + 1] = END;
        return row;
    }

    @Override
    public int vocabularySize() {
        return VOCABULARY_SIZE;
    }
}
