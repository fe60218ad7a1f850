package org.gammaiqa.image;

/**
 * The JPEG header facts that decide colour conversion and orientation: JFIF and Adobe APP14 markers,
 * frame component ids, and where the Exif TIFF block lies ({@code exifOffset < 0}: none).
 */
record JpegMarkers(boolean jfif, int adobeTransform, int[] componentIds, int exifOffset, int exifLength) {
    static final int NO_ADOBE = -1;

    /** Walks the marker segments up to the first scan; tolerant of junk, like libjpeg's reader. */
    static JpegMarkers parse(byte[] b) {
        boolean jfif = false;
        int adobe = NO_ADOBE;
        int[] ids = new int[0];
        int exifOffset = -1;
        int exifLength = 0;
        int p = 2;
        while (p + 4 <= b.length) {
            if ((b[p] & 0xff) != 0xFF) break;
            int marker = b[p + 1] & 0xff;
            if (marker == 0xFF) { p++; continue; }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { p += 2; continue; }
            if (marker == 0xDA || marker == 0xD9) break;
            int len = ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
            int data = p + 4;
            int dataLen = Math.min(len - 2, b.length - data);
            if (len < 2 || dataLen < 0) break;
            if (marker == 0xE0 && len >= 16 && ascii(b, data, "JFIF\0")) jfif = true;
            if (marker == 0xEE && dataLen >= 12 && ascii(b, data, "Adobe")) adobe = b[data + 11] & 0xff;
            if (marker == 0xE1 && exifOffset < 0 && dataLen > 6 && ascii(b, data, "Exif\0\0")) {
                exifOffset = data + 6;
                exifLength = dataLen - 6;
            }
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof && dataLen >= 6) {
                int n = Math.min(b[data + 5] & 0xff, (dataLen - 6) / 3);
                ids = new int[n];
                for (int i = 0; i < n; i++) ids[i] = b[data + 6 + 3 * i] & 0xff;
            }
            p = data + len - 2;
        }
        return new JpegMarkers(jfif, adobe, ids, exifOffset, exifLength);
    }

    static boolean ascii(byte[] b, int offset, String s) {
        if (offset < 0 || offset + s.length() > b.length) return false;
        for (int i = 0; i < s.length(); i++) {
            if (b[offset + i] != (byte) s.charAt(i)) return false;
        }
        return true;
    }
}
