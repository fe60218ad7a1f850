package org.gammaiqa.model;

/** Text tower shape: vocabulary, context length and the (causally masked) transformer. */
public record TextConfig(int vocabularySize, int contextLength, TransformerConfig transformer) {
    /** Checks that the vocabulary and the context are not empty. */
    public TextConfig {
        if (vocabularySize <= 0 || contextLength <= 0) {
            throw new IllegalArgumentException("vocabulary " + vocabularySize + " and context " + contextLength + " must be positive");
        }
    }
}
