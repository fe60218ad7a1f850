package org.gammaiqa.model;

import java.util.Map;
import org.gammaiqa.checkpoint.StoredTensor;

/**
 * Caps on what {@link CheckpointLayout#derive} may derive from a checkpoint's keys and shapes, checked before any
 * key list is built or weight allocated, so that a hostile shape or key costs no memory (docs/SECURITY.md). Each is
 * far above CLIP's largest models (ViT-bigG: width 1664, 48 layers, MLP 8192; text context 77, vocabulary 49,408).
 */
public final class ArchitectureLimits {
    /** Most residual blocks per tower. */
    public static final int MAX_LAYERS = 128;
    /** Most adaptive experts per block. */
    public static final int MAX_EXPERTS = 64;
    /** Widest tower, joint embedding and adapter. */
    public static final int MAX_WIDTH = 8192;
    /** Widest MLP hidden layer. */
    public static final int MAX_HIDDEN = 32768;
    /** Largest patch size, and most patches per side of the vision tower's positional grid. */
    public static final int MAX_PATCH = 64;
    public static final int MAX_GRID = 64;
    /** Longest text context: the causal mask is context² floats. */
    public static final int MAX_CONTEXT = 1024;
    /** Largest vocabulary. */
    public static final int MAX_VOCABULARY = 1 << 20;
    /** Most quality levels of the head. */
    public static final int MAX_LEVELS = 1024;
    /** Most parameters in all: 4 GB as float32. */
    public static final long MAX_PARAMETERS = 1_000_000_000L;

    private ArchitectureLimits() {
    }

    /** Refuses {@code value} (what the checkpoint implies for {@code what}) if it is above {@code max}. */
    static void require(String what, long value, long max) throws CheckpointMismatchException {
        if (value > max) {
            throw new CheckpointMismatchException("the checkpoint implies " + what + " " + value + ", over the " + max
                    + " this reader accepts");
        }
    }

    /** Refuses an architecture whose tensors hold more than {@link #MAX_PARAMETERS} elements in all. */
    static void requireParameters(Map<String, long[]> shapes) throws CheckpointMismatchException {
        long total = 0;
        for (long[] shape : shapes.values()) {
            total += StoredTensor.numel(shape);
            require("a parameter count of at least", total, MAX_PARAMETERS);
        }
    }
}
