package org.gammaiqa.image;

import java.nio.charset.StandardCharsets;

/** The container formats the decoder accepts, recognised by their leading bytes (never by file name). */
enum ImageFormat {
    JPEG("jpeg"), PNG("png"), GIF("gif"), BMP("bmp"), TIFF("tiff"), WEBP("webp");

    /** The ImageIO format name whose readers decode this format. */
    final String imageIoName;

    ImageFormat(String imageIoName) {
        this.imageIoName = imageIoName;
    }

    /** The format whose signature starts {@code b}, or null. */
    static ImageFormat detect(byte[] b) {
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) return JPEG;
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return PNG;
        if (startsWith(b, 0, 'G', 'I', 'F', '8')) return GIF;
        if (startsWith(b, 0, 'B', 'M')) return BMP;
        if (startsWith(b, 0, 'I', 'I', 42, 0) || startsWith(b, 0, 'M', 'M', 0, 42)) return TIFF;
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) return WEBP;
        return null;
    }

    /** A short guess at what unrecognised bytes are, for error messages. */
    static String describeUnknown(byte[] b) {
        if (startsWith(b, 4, 'f', 't', 'y', 'p')) return "an ISO-BMFF file (HEIC/AVIF/MP4?)";
        if (startsWith(b, 0, '%', 'P', 'D', 'F')) return "a PDF document";
        if (startsWith(b, 0, 0, 0, 0, 0x0C, 'j', 'P') || startsWith(b, 0, 0xFF, 0x4F, 0xFF, 0x51)) return "JPEG 2000";
        int n = Math.min(b.length, 64);
        boolean text = true;
        for (int i = 0; i < n && text; i++) {
            int c = b[i] & 0xff;
            text = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c != 0x7f);
        }
        if (text) {
            String head = new String(b, 0, Math.min(n, 24), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
            return "text (\"" + head + "\")";
        }
        StringBuilder hex = new StringBuilder("unknown data (first bytes");
        for (int i = 0; i < Math.min(b.length, 8); i++) hex.append(String.format(" %02x", b[i]));
        return hex.append(')').toString();
    }

    private static boolean startsWith(byte[] b, int offset, int... sig) {
        if (b.length < offset + sig.length) return false;
        for (int i = 0; i < sig.length; i++) {
            if ((b[offset + i] & 0xff) != sig[i]) return false;
        }
        return true;
    }
}
