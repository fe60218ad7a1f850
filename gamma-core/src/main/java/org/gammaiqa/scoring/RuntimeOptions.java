package org.gammaiqa.scoring;

import ai.djl.Device;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how the network runs: the device (CPU, or a GPU with a CUDA libtorch), the most crops
 * in one forward pass, and the arithmetic precision.
 */
public record RuntimeOptions(Device device, int maxCropsPerPass, Precision precision) {
    /**
     * Arithmetic of the network. {@code FP32} reproduces the reference (≤ 1e-5); {@code FP16} halves
     * memory and is fast on GPUs, with scores within {@link #FP16_TOLERANCE} of FP32 (tested on CPU);
     * {@code BF16} (CPU only) keeps float32 activations but multiplies bfloat16-rounded inputs by bfloat16
     * weights in the linear layers, accumulating in float32: the fast mode for large collections on CPUs
     * with bfloat16 instructions, scores within {@link #BF16_TOLERANCE} of FP32 on the fixtures.
     */
    public enum Precision { FP32, FP16, BF16 }

    /** Largest score difference between FP16 and FP32 that the tests accept. */
    public static final double FP16_TOLERANCE = 5e-3;

    /** Largest score difference between BF16 and the reference that the tests accept. */
    public static final double BF16_TOLERANCE = 2e-2;

    public RuntimeOptions {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(precision, "precision");
        if (maxCropsPerPass < 1) {
            throw new IllegalArgumentException("maxCropsPerPass must be at least 1, got " + maxCropsPerPass);
        }
    }

    /** CPU, {@link ScoringProtocol#CROPS_PER_PASS} crops per pass, float32. */
    public static RuntimeOptions defaults() {
        return new RuntimeOptions(Device.cpu(), ScoringProtocol.CROPS_PER_PASS, Precision.FP32);
    }

    public RuntimeOptions withDevice(Device d) {
        return new RuntimeOptions(d, maxCropsPerPass, precision);
    }

    public RuntimeOptions withPrecision(Precision p) {
        return new RuntimeOptions(device, maxCropsPerPass, p);
    }

    public RuntimeOptions withMaxCropsPerPass(int n) {
        return new RuntimeOptions(device, n, precision);
    }

    /** Parses {@code cpu}, {@code gpu} or {@code gpu:N}; the error lists the accepted forms. */
    public static Device parseDevice(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("gpu") || s.equals("cuda")) {
            return Device.gpu();
        }
        if (s.matches("(gpu|cuda):\\d+")) {
            return Device.gpu(Integer.parseInt(s.substring(s.indexOf(':') + 1)));
        }
        throw new IllegalArgumentException("device '" + spec + "' is not cpu, gpu or gpu:N");
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
