package org.gammaiqa.image;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the header checks that run on untrusted image bytes before and around decoding: format detection,
 * the JPEG marker walk, the Exif orientation reader and the pixel limit. Every input must give an image or an
 * {@link ImageDecodeException}; anything else (another exception, an Error, a hang) is a finding. The build
 * replays the committed seeds (ImageHeaderFuzzTestInputs/); fuzz/fuzz.sh fuzzes it.
 */
class ImageHeaderFuzzTest {
    private static final ImageDecoder DECODER = new ImageDecoder(new ImageDecoder.DecodeOptions(1 << 20, true));

    @FuzzTest
    void headerChecks(byte[] bytes) {
        ImageFormat format = ImageFormat.detect(bytes);
        ImageFormat.describeUnknown(bytes);
        if (format == ImageFormat.JPEG) {
            JpegMarkers.parse(bytes);
        }
        if (format != null) {
            ExifOrientation.of(bytes, format);
        }
        try {
            DECODER.decode(bytes, "fuzzed input");
        } catch (ImageDecodeException expected) {
            // a refusal in words is the wanted outcome for malformed bytes
        }
    }
}
