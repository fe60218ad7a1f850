package org.gammaiqa.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns a prompt into the fixed-length id row the text tower reads: {@code [start, tokens…, end]},
 * zero-padded. Which tokenizer a checkpoint needs follows from its vocabulary size ({@link #forModel}).
 */
public interface Tokenizer {
    /**
     * {@code [start, tokens…, end]}, zero-padded to {@code contextLength}.
     *
     * @throws IllegalArgumentException if the ids do not fit; nothing is cut
     */
    int[] tokenize(String text, int contextLength);

    /** The id rows of several texts, row after row: a (texts, contextLength) matrix for the text tower. */
    default long[] tokenizeAll(List<String> texts, int contextLength) {
        long[] ids = new long[texts.size() * contextLength];
        for (int i = 0; i < texts.size(); i++) {
            int[] row = tokenize(texts.get(i), contextLength);
            for (int j = 0; j < contextLength; j++) {
                ids[i * contextLength + j] = row[j];
            }
        }
        return ids;
    }

    /** Number of ids the tokenizer can emit. */
    int vocabularySize();

    /**
     * The tokenizer for a text tower of {@code modelVocabulary} ids: the {@link ByteTokenizer} when that is its
     * size (no file needed), otherwise CLIP's BPE read from {@code vocabulary}.
     *
     * @throws IOException if a vocabulary file is needed but is null, unreadable or larger than the model's
     */
    static Tokenizer forModel(int modelVocabulary, Path vocabulary) throws IOException {
        if (modelVocabulary == ByteTokenizer.VOCABULARY_SIZE) {
            return new ByteTokenizer();
        }
        if (vocabulary == null) {
            throw new IOException("the checkpoint's text tower has a vocabulary of " + modelVocabulary
                    + " tokens, not the byte-level " + ByteTokenizer.VOCABULARY_SIZE
                    + "; pass the CLIP vocabulary it was trained with (--vocab bpe_simple_vocab_16e6.txt.gz)");
        }
        ClipTokenizer clip = ClipTokenizer.load(vocabulary);
        if (clip.vocabularySize() > modelVocabulary) {
            throw new IOException("vocabulary " + vocabulary + " has " + clip.vocabularySize()
                    + " tokens but the checkpoint's text tower knows " + modelVocabulary
                    + " (pass the vocabulary the model was trained with)");
        }
        return clip;
    }
}
