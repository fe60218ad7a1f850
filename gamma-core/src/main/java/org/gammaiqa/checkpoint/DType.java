package org.gammaiqa.checkpoint;

/** Element types a checkpoint may store, with their size and their spellings in torch and safetensors. */
public enum DType {
    /** 64-bit float. */
    F64(8, "DoubleStorage", "F64"),
    /** 32-bit float. */
    F32(4, "FloatStorage", "F32"),
    /** 16-bit IEEE half float. */
    F16(2, "HalfStorage", "F16"),
    /** bfloat16: float32's exponent, 8 bits of mantissa. */
    BF16(2, "BFloat16Storage", "BF16"),
    /** 64-bit signed integer. */
    I64(8, "LongStorage", "I64"),
    /** 32-bit signed integer. */
    I32(4, "IntStorage", "I32"),
    /** 16-bit signed integer. */
    I16(2, "ShortStorage", "I16"),
    /** 8-bit signed integer. */
    I8(1, "CharStorage", "I8"),
    /** 8-bit unsigned integer. */
    U8(1, "ByteStorage", "U8"),
    /** Boolean, one byte each. */
    BOOL(1, "BoolStorage", "BOOL");

    private final int bytes;
    private final String torchStorage;
    private final String safetensorsName;

    DType(int bytes, String torchStorage, String safetensorsName) {
        this.bytes = bytes;
        this.torchStorage = torchStorage;
        this.safetensorsName = safetensorsName;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Class name of the torch storage type, e.g. {@code FloatStorage}. */
    public String torchStorage() {
        return torchStorage;
    }

    /** Name of this type in a safetensors header, e.g. {@code F32}. */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** True for the floating-point types (F64, F32, F16, BF16). */
    public boolean isFloatingPoint() {
        return this == F64 || this == F32 || this == F16 || this == BF16;
    }

    /** The type whose torch storage class is {@code name}, or an error naming it. */
    public static DType ofTorchStorage(String name) {
        for (DType t : values()) {
            if (t.torchStorage.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported torch storage type '" + name + "'");
    }

    /** The type named {@code name} in a safetensors header, or an error naming it. */
    public static DType ofSafetensors(String name) {
        for (DType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported safetensors dtype '" + name + "'");
    }
}
