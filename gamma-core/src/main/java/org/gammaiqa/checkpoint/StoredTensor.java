package org.gammaiqa.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tensor as a checkpoint stores it: element type, shape, and its elements in row-major
 * (C-contiguous) order, little-endian. The buffer may be a view of a memory-mapped file; it is
 * never modified.
 */
public final class StoredTensor {
    private final DType dtype;
    private final long[] shape;
    private final ByteBuffer data;

    public StoredTensor(DType dtype, long[] shape, ByteBuffer data) {
        this.dtype = dtype;
        this.shape = shape.clone();
        long expected = numel(this.shape) * dtype.bytes();
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " and type " + dtype
                    + " needs " + expected + " bytes, got " + data.remaining());
        }
        this.data = data.slice().order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    public DType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int i) {
        return shape[i];
    }

    public long numel() {
        return numel(shape);
    }

    /** A read-only little-endian view of the elements, positioned at 0. */
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The elements widened (or narrowed, for f64) to float32; bf16 and f16 are converted exactly. */
    public float[] toFloats() {
        int n = Math.toIntExact(numel());
        float[] out = new float[n];
        ByteBuffer b = data();
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(out);
            case F64 -> { for (int i = 0; i < n; i++) out[i] = (float) b.getDouble(i * 8); }
            case F16 -> { for (int i = 0; i < n; i++) out[i] = halfToFloat(b.getShort(i * 2)); }
            case BF16 -> { for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16); }
            case I64 -> { for (int i = 0; i < n; i++) out[i] = b.getLong(i * 8); }
            case I32 -> { for (int i = 0; i < n; i++) out[i] = b.getInt(i * 4); }
            case I16 -> { for (int i = 0; i < n; i++) out[i] = b.getShort(i * 2); }
            case I8 -> { for (int i = 0; i < n; i++) out[i] = b.get(i); }
            case U8, BOOL -> { for (int i = 0; i < n; i++) out[i] = b.get(i) & 0xff; }
        }
        return out;
    }

    /** The elements as 64-bit integers; only for integer and boolean types. */
    public long[] toLongs() {
        int n = Math.toIntExact(numel());
        long[] out = new long[n];
        ByteBuffer b = data();
        switch (dtype) {
            case I64 -> b.asLongBuffer().get(out);
            case I32 -> { for (int i = 0; i < n; i++) out[i] = b.getInt(i * 4); }
            case I16 -> { for (int i = 0; i < n; i++) out[i] = b.getShort(i * 2); }
            case I8 -> { for (int i = 0; i < n; i++) out[i] = b.get(i); }
            case U8, BOOL -> { for (int i = 0; i < n; i++) out[i] = b.get(i) & 0xff; }
            default -> throw new IllegalStateException("tensor of type " + dtype + " is not an integer tensor");
        }
        return out;
    }

    /** Index of the first element that is NaN or infinite as float32, or -1 if none is (always -1 for integer types). */
    public long firstNonFinite() {
        if (!dtype.isFloatingPoint()) {
            return -1;
        }
        if (dtype == DType.F32) {
            java.nio.FloatBuffer f = data().asFloatBuffer();
            for (int i = 0; i < f.limit(); i++) {
                if (!Float.isFinite(f.get(i))) {
                    return i;
                }
            }
            return -1;
        }
        float[] values = toFloats();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    /** A float32 tensor holding {@code values} with the given shape. */
    public static StoredTensor ofFloats(long[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new StoredTensor(DType.F32, shape, b);
    }

    /** This floating-point tensor as float16 (round to nearest even), e.g. to halve a checkpoint's size. */
    public StoredTensor toHalf() {
        float[] v = toFloats();
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < v.length; i++) {
            b.putShort(i * 2, floatToHalf(v[i]));
        }
        return new StoredTensor(DType.F16, shape, b);
    }

    /** float32 to IEEE binary16, rounding to nearest even; overflow gives ±∞ (Float.floatToFloat16 needs Java 20). */
    static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
        }
        int e = exponent - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        int shift;
        int half;
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            mantissa |= 0x800000;
            shift = 14 - e;
            half = mantissa >> shift;
        } else {
            shift = 13;
            half = e << 10 | mantissa >> shift;
        }
        int rest = mantissa & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (half & 1) != 0)) {
            half++;  // a carry into the exponent is the correct rounding
        }
        return (short) (sign | half);
    }

    /** IEEE binary16 to float32, exactly (Float.float16ToFloat needs Java 20). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | mantissa << 13);
        }
        if (exponent == 0) {
            float subnormal = mantissa * 0x1p-24f;
            return sign == 0 ? subnormal : -subnormal;
        }
        return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
    }

    /** Bytes of a tensor of {@code shape} and {@code dtype}, or -1 if a dimension is negative or the count overflows a long. */
    public static long byteSize(long[] shape, DType dtype) {
        try {
            return Math.multiplyExact(numel(shape), dtype.bytes());
        } catch (IllegalArgumentException | ArithmeticException e) {
            return -1;
        }
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}
