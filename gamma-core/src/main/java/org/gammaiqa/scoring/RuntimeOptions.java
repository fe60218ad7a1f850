package org.gammaiqa.scoring;

import java.util.Locale;
import java.util.Objects;

/**
 * Where and how the network runs: the device (CPU, or a GPU with a CUDA libtorch), the most crops
 * in one forward pass, and the arithmetic precision.
 */
public record RuntimeOptions(ComputeDevice device, int maxCropsPerPass, Precision precision) {
    /**
     * Arithmetic of the network. {@code FP32} reproduces the reference (≤ 1e-5); {@code FP16} halves
     * memory and is fast on GPUs, with scores within {@link #FP16_TOLERANCE} of FP32 (tested on CPU);
     * {@code BF16} (CPU only) keeps float32 activations but multiplies bfloat16-rounded inputs by bfloat16
     * weights in the linear layers, accumulating in float32: the fast mode for large collections on CPUs
     * with bfloat16 instructions, scores within {@link #BF16_TOLERANCE} of FP32 on the fixtures.
     */
    public enum Precision {
        /** float32 throughout: the reference's arithmetic. */
        FP32,
        /** float16 weights and activations. */
        FP16,
        /** bfloat16 products in the linear layers, float32 elsewhere (CPU only). */
        BF16
    }

    /** Largest score difference between FP16 and FP32 that the tests accept. */
    public static final double FP16_TOLERANCE = 5e-3;

    /** Largest score difference between BF16 and the reference that the tests accept. */
    public static final double BF16_TOLERANCE = 2e-2;

    /** Checks that device and precision are given and that a pass holds at least one crop. */
    public RuntimeOptions {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(precision, "precision");
        if (maxCropsPerPass < 1) {
            throw new IllegalArgumentException("maxCropsPerPass must be at least 1, got " + maxCropsPerPass);
        }
    }

    /** CPU, {@link ScoringProtocol#CROPS_PER_PASS} crops per pass, float32. */
    public static RuntimeOptions defaults() {
        return new RuntimeOptions(ComputeDevice.cpu(), ScoringProtocol.CROPS_PER_PASS, Precision.FP32);
    }

    /** These options on another device. */
    public RuntimeOptions withDevice(ComputeDevice d) {
        return new RuntimeOptions(d, maxCropsPerPass, precision);
    }

    /** These options in another arithmetic precision. */
    public RuntimeOptions withPrecision(Precision p) {
        return new RuntimeOptions(device, maxCropsPerPass, p);
    }

    /** These options with another bound on the crops of one forward pass. */
    public RuntimeOptions withMaxCropsPerPass(int n) {
        return new RuntimeOptions(device, n, precision);
    }

    /** Parses {@code fp32}, {@code fp16} or {@code bf16}. */
    public static Precision parsePrecision(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "fp32", "float32" -> Precision.FP32;
            case "fp16", "float16", "half" -> Precision.FP16;
            case "bf16", "bfloat16" -> Precision.BF16;
            default -> throw new IllegalArgumentException("precision '" + spec + "' is not fp32, fp16 or bf16");
        };
    }
}
