package org.gammaiqa.scoring;

import java.util.Locale;

/**
 * Where the network runs: the CPU, or one GPU by index (which needs a CUDA build of libtorch; see the README).
 *
 * @param type  the kind of device
 * @param index the GPU's index, or -1 for the CPU
 */
public record ComputeDevice(Type type, int index) {
    /** The kinds of device libtorch can run Gamma on. */
    public enum Type {
        /** The CPU, with libtorch's CPU build. */
        CPU,
        /** An NVIDIA GPU, with a CUDA build of libtorch. */
        GPU
    }

    /** Checks that a CPU has index -1 and a GPU an index of 0 or more. */
    public ComputeDevice {
        if (type == null) {
            throw new NullPointerException("type");
        }
        if (type == Type.CPU ? index != -1 : index < 0) {
            throw new IllegalArgumentException(type == Type.CPU ? "the CPU has index -1, not " + index
                    : "a GPU index is 0 or more, not " + index);
        }
    }

    /** The CPU. */
    public static ComputeDevice cpu() {
        return new ComputeDevice(Type.CPU, -1);
    }

    /** The first GPU. */
    public static ComputeDevice gpu() {
        return gpu(0);
    }

    /** The GPU with this index (0 is the first). */
    public static ComputeDevice gpu(int index) {
        return new ComputeDevice(Type.GPU, index);
    }

    /** Parses {@code cpu}, {@code gpu} or {@code gpu:N} ({@code cuda} is accepted for {@code gpu}); the error lists the forms. */
    public static ComputeDevice parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) {
            return cpu();
        }
        if (s.equals("gpu") || s.equals("cuda")) {
            return gpu();
        }
        if (s.matches("(gpu|cuda):\\d{1,9}")) {
            return gpu(Integer.parseInt(s.substring(s.indexOf(':') + 1)));
        }
        throw new IllegalArgumentException("device '" + spec + "' is not cpu, gpu or gpu:N");
    }

    /** {@code cpu} or {@code gpu:N}, the form {@link #parse} reads. */
    @Override
    public String toString() {
        return type == Type.CPU ? "cpu" : "gpu:" + index;
    }
}
