package org.gammaiqa.spark;

import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * The model every executor loads: checkpoint and vocabulary paths as the executors see them (local,
 * shipped with {@code --files}, or on shared storage), the checkpoint's expected SHA-256, and the
 * most crops in one forward pass. It is also the key of the per-JVM model cache.
 */
public record ModelSpec(String checkpoint, String sha256, String vocabulary, int cropsPerPass) implements Serializable {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ModelSpec {
        if (checkpoint == null || checkpoint.isBlank() || vocabulary == null || vocabulary.isBlank()) {
            throw new IllegalArgumentException("a model needs a checkpoint and a vocabulary path, got checkpoint '"
                    + checkpoint + "' and vocabulary '" + vocabulary + "'");
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("checkpoint SHA-256 '" + sha256
                    + "' is not 64 lower-case hex digits; compute it with sha256sum " + checkpoint);
        }
        if (cropsPerPass < 1) {
            throw new IllegalArgumentException("crops per forward pass must be at least 1, got " + cropsPerPass);
        }
    }
}
