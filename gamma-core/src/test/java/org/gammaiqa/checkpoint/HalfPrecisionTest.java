package org.gammaiqa.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** float32 → float16 for {@code gamma export --half}: exact on every half value, round-to-nearest-even between. */
class HalfPrecisionTest {
    @Test
    void everyHalfValueRoundTrips() {
        for (int bits = 0; bits < 0x10000; bits++) {
            short h = (short) bits;
            float f = StoredTensor.halfToFloat(h);
            if (!Float.isNaN(f)) {
                assertThat(StoredTensor.floatToHalf(f)).as("half 0x%04x", bits).isEqualTo(h);
            }
        }
    }

    @Test
    void roundsToNearestEven() {
        assertThat(half(1 + 0x1p-11f)).isEqualTo(1f);                 // tie → even mantissa
        assertThat(half(1 + 3 * 0x1p-11f)).isEqualTo(1 + 0x1p-9f);     // tie → even, upwards
        assertThat(half(1 + 0x1p-11f + 0x1p-20f)).isEqualTo(1 + 0x1p-10f);
        assertThat(half(0x1p-25f)).isEqualTo(0f);                      // tie with the smallest subnormal
        assertThat(half(3 * 0x1p-26f)).isEqualTo(0x1p-24f);
        assertThat(half(65520f)).isInfinite();                         // beyond the largest half, 65504
        assertThat(half(-2.5e-3f)).isCloseTo(-2.5e-3f, org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void tensorToHalfKeepsShapeAndValues() {
        StoredTensor t = StoredTensor.ofFloats(new long[] {2, 2}, new float[] {0.5f, -1f, 3f, 1024f}).toHalf();
        assertThat(t.dtype()).isEqualTo(DType.F16);
        assertThat(t.shape()).containsExactly(2, 2);
        assertThat(t.toFloats()).containsExactly(0.5f, -1f, 3f, 1024f);
    }

    private static float half(float f) {
        return StoredTensor.halfToFloat(StoredTensor.floatToHalf(f));
    }
}
