package org.gammaiqa.image;

import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Turns decoded samples into the bytes of PIL's {@code convert("RGB")}: palette lookup, gray replicated,
 * alpha dropped, 16-bit and CMYK handled as Pillow 9.4 does, JPEG YCbCr/YCCK as libjpeg does.
 */
final class RasterToRgb {

    /** How the bands of a raster are to be read. */
    enum Layout {
        /** 1 band (2 with alpha). Parity: 16-bit gray is PIL mode "I", clipped to 255, not scaled. */
        GRAY,
        /** 3 bands (4 with alpha). 16-bit samples keep their high byte, as PIL's "RGB;16B" unpacker. */
        RGB,
        /** C, M, Y, K as PIL's mode "CMYK" holds them (TIFF). */
        CMYK,
        /** JPEG 4-channel CMYK: Parity: PIL reads it as "CMYK;I" (Adobe inverted), Adobe marker or not. */
        JPEG_CMYK,
        /** JPEG Adobe YCCK: libjpeg's YCCK to CMYK, then as {@link #JPEG_CMYK}. */
        JPEG_YCCK,
        /** JPEG YCbCr, converted with libjpeg's fixed-point tables (identical in IJG 6b and libjpeg-turbo). */
        JPEG_YCBCR
    }

    private static final int SCALEBITS = 16;
    private static final int ONE_HALF = 1 << (SCALEBITS - 1);
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private RasterToRgb() {
    }

    private static int fix(double x) {
        return (int) (x * (1 << SCALEBITS) + 0.5);
    }

    /** Palette images: each index looked up in the palette; indices past its end read as black. */
    static byte[] indexed(Raster raster, IndexColorModel palette) {
        int size = palette.getMapSize();
        byte[] r = new byte[size], g = new byte[size], b = new byte[size];
        palette.getReds(r);
        palette.getGreens(g);
        palette.getBlues(b);
        int w = raster.getWidth(), h = raster.getHeight();
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0, o = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++, o += 3) {
                int i = row[x];
                if (i < size) {
                    out[o] = r[i];
                    out[o + 1] = g[i];
                    out[o + 2] = b[i];
                }
            }
        }
        return out;
    }

    /** Direct-colour images; extra bands past the colour ones (alpha) are ignored. */
    static byte[] direct(Raster raster, Layout layout) {
        int w = raster.getWidth(), h = raster.getHeight(), bands = raster.getNumBands();
        int[] bits = raster.getSampleModel().getSampleSize();
        boolean all8 = true;
        for (int s : bits) all8 &= s == 8;
        boolean fastBytes = all8 && raster.getTransferType() == DataBuffer.TYPE_BYTE
                && raster.getSampleModel() instanceof ComponentSampleModel;
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w * bands];
        byte[] bytes = fastBytes ? new byte[w * bands] : null;
        for (int y = 0; y < h; y++) {
            int ry = raster.getMinY() + y;
            if (fastBytes) {
                raster.getDataElements(raster.getMinX(), ry, w, 1, bytes);
                for (int i = 0; i < row.length; i++) row[i] = bytes[i] & 0xff;
            } else {
                raster.getPixels(raster.getMinX(), ry, w, 1, row);
                if (!all8) to8Bit(row, bits, bands, layout == Layout.GRAY);
            }
            convertRow(row, w, bands, layout, out, y * w * 3);
        }
        return out;
    }

    /** Parity: PIL scales sub-8-bit samples by 255/max (truncating), keeps 16-bit high bytes, clips 16-bit gray. */
    private static void to8Bit(int[] row, int[] bits, int bands, boolean gray) {
        for (int i = 0; i < row.length; i++) {
            int s = bits[i % bands];
            int v = row[i];
            if (s < 8) {
                row[i] = v * 255 / ((1 << s) - 1);
            } else if (s > 8) {
                row[i] = gray && i % bands == 0 ? Math.min(v, 255) : v >>> (s - 8);
            }
        }
    }

    private static void convertRow(int[] s, int w, int bands, Layout layout, byte[] out, int o) {
        for (int x = 0, i = 0; x < w; x++, i += bands, o += 3) {
            switch (layout) {
                case GRAY -> put(out, o, s[i], s[i], s[i]);
                case RGB -> put(out, o, s[i], s[i + 1], s[i + 2]);
                case CMYK -> cmykToRgb(out, o, s[i], s[i + 1], s[i + 2], s[i + 3]);
                case JPEG_CMYK -> cmykToRgb(out, o, 255 - s[i], 255 - s[i + 1], 255 - s[i + 2], 255 - s[i + 3]);
                case JPEG_YCBCR -> yccToRgb(out, o, s[i], s[i + 1], s[i + 2]);
                case JPEG_YCCK -> {
                    // libjpeg: C = 255 - R(YCC) (and so on), K passed through; PIL's "CMYK;I" inverts all four.
                    yccToRgb(out, o, s[i], s[i + 1], s[i + 2]);
                    cmykToRgb(out, o, out[o] & 0xff, out[o + 1] & 0xff, out[o + 2] & 0xff, 255 - s[i + 3]);
                }
            }
        }
    }

    private static void yccToRgb(byte[] out, int o, int y, int cb, int cr) {
        put(out, o, clip(y + CR_R[cr]), clip(y + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS)), clip(y + CB_B[cb]));
    }

    /** Parity: Pillow 9.4 {@code cmyk2rgb}, not ICC: channel = nk - round(c * nk / 255), nk = 255 - k. */
    private static void cmykToRgb(byte[] out, int o, int c, int m, int y, int k) {
        int nk = 255 - k;
        put(out, o, nk - mulDiv255(c, nk), nk - mulDiv255(m, nk), nk - mulDiv255(y, nk));
    }

    private static int mulDiv255(int a, int b) {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }

    private static int clip(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    private static void put(byte[] out, int o, int r, int g, int b) {
        out[o] = (byte) r;
        out[o + 1] = (byte) g;
        out[o + 2] = (byte) b;
    }
}
