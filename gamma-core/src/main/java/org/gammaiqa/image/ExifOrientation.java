package org.gammaiqa.image;

/**
 * Reads the EXIF Orientation tag (0x0112) the way PIL's {@code Image.getexif()} finds it: JPEG APP1,
 * PNG eXIf, WebP EXIF chunk, TIFF IFD0. Any value other than 1..8, or no tag, reads as 1 (upright).
 */
final class ExifOrientation {
    private static final int TAG_ORIENTATION = 0x0112;

    private ExifOrientation() {
    }

    static int of(byte[] b, ImageFormat format) {
        return switch (format) {
            case JPEG -> {
                JpegMarkers m = JpegMarkers.parse(b);
                yield m.exifOffset() < 0 ? 1 : fromTiff(b, m.exifOffset(), m.exifLength());
            }
            case PNG -> fromPng(b);
            case WEBP -> fromWebp(b);
            case TIFF -> fromTiff(b, 0, b.length);
            case GIF, BMP -> 1;
        };
    }

    private static int fromPng(byte[] b) {
        for (int p = 8; p + 12 <= b.length; ) {
            long len = u32be(b, p);
            if (len > b.length - p - 12) break;
            if (JpegMarkers.ascii(b, p + 4, "eXIf")) return fromExifPayload(b, p + 8, (int) len);
            p += 12 + (int) len;
        }
        return 1;
    }

    private static int fromWebp(byte[] b) {
        for (int p = 12; p + 8 <= b.length; ) {
            long len = u32le(b, p + 4);
            if (len > b.length - p - 8) break;
            if (JpegMarkers.ascii(b, p, "EXIF")) return fromExifPayload(b, p + 8, (int) len);
            p += 8 + (int) (len + (len & 1));
        }
        return 1;
    }

    /** PNG and WebP EXIF payloads sometimes keep JPEG's "Exif\0\0" prefix; PIL strips it. */
    private static int fromExifPayload(byte[] b, int offset, int length) {
        return JpegMarkers.ascii(b, offset, "Exif\0\0") ? fromTiff(b, offset + 6, length - 6) : fromTiff(b, offset, length);
    }

    /** Orientation from IFD0 of the TIFF structure at {@code b[start, start+length)}. */
    private static int fromTiff(byte[] b, int start, int length) {
        int end = Math.min(b.length, start + length);
        if (start + 8 > end) return 1;
        boolean little = b[start] == 'I' && b[start + 1] == 'I';
        if (!little && !(b[start] == 'M' && b[start + 1] == 'M')) return 1;
        long ifd = u32(b, start + 4, little);
        if (ifd < 8 || ifd > end - start - 2) return 1;
        int p = start + (int) ifd;
        int count = u16(b, p, little);
        for (int i = 0; i < count && p + 2 + 12 * (i + 1) <= end; i++) {
            int entry = p + 2 + 12 * i;
            if (u16(b, entry, little) == TAG_ORIENTATION && u16(b, entry + 2, little) == 3) {
                int value = u16(b, entry + 8, little);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] b, int p, boolean little) {
        int b0 = b[p] & 0xff, b1 = b[p + 1] & 0xff;
        return little ? b0 | (b1 << 8) : (b0 << 8) | b1;
    }

    private static long u32(byte[] b, int p, boolean little) {
        return little ? u32le(b, p) : u32be(b, p);
    }

    private static long u32be(byte[] b, int p) {
        return ((long) (b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
    }

    private static long u32le(byte[] b, int p) {
        return ((long) (b[p + 3] & 0xff) << 24) | ((b[p + 2] & 0xff) << 16) | ((b[p + 1] & 0xff) << 8) | (b[p] & 0xff);
    }
}
