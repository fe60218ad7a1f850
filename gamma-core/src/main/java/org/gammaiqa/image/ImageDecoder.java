package org.gammaiqa.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG, PNG, GIF, BMP, TIFF and WebP to the 8-bit RGB pixels of PIL's
 * {@code Image.open(p).convert("RGB")}. Immutable and thread-safe: every call uses its own ImageIO reader.
 */
public final class ImageDecoder {
    /** File extensions (lower case, no dot) of the formats decoded: what a walk over a folder keeps. */
    public static final Set<String> FILE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff", "gif");

    /** True when a file name ends in one of {@link #FILE_EXTENSIONS}, in any case. */
    public static boolean hasImageExtension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot >= 0 && FILE_EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * @param maxPixels images with more pixels are refused before any pixel memory is allocated
     * @param applyExifOrientation rotate/flip by the EXIF Orientation tag like PIL's {@code ImageOps.exif_transpose};
     *     off by default because the original does not
     */
    public record DecodeOptions(long maxPixels, boolean applyExifOrientation) {
        /** Pillow's DecompressionBombError threshold: 2 * MAX_IMAGE_PIXELS (PIL only warns above half of it). */
        public static final long PIL_MAX_PIXELS = 178_956_970L;
        /** The most pixels an {@link RgbImage} byte array can hold. */
        public static final long ARRAY_MAX_PIXELS = Integer.MAX_VALUE / 3;

        /** Checks that the pixel limit fits in an {@link RgbImage}. */
        public DecodeOptions {
            if (maxPixels < 1 || maxPixels > ARRAY_MAX_PIXELS) {
                throw new IllegalArgumentException("maxPixels must be in 1.." + ARRAY_MAX_PIXELS + ", got " + maxPixels
                        + "; the default is PIL's limit " + PIL_MAX_PIXELS);
            }
        }

        /** PIL's pixel limit, no EXIF rotation: parity with the original. */
        public static DecodeOptions defaults() {
            return new DecodeOptions(PIL_MAX_PIXELS, false);
        }
    }

    private final DecodeOptions options;

    /** A decoder with the default options: PIL's pixel limit, EXIF orientation ignored. */
    public ImageDecoder() {
        this(DecodeOptions.defaults());
    }

    /** A decoder with these options. */
    public ImageDecoder(DecodeOptions options) {
        this.options = options;
    }

    /** The options this decoder applies. */
    public DecodeOptions options() {
        return options;
    }

    /** Reads and decodes an image file. */
    public RgbImage decode(Path file) throws ImageDecodeException {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 8) {
                throw new ImageDecodeException("cannot decode " + file + ": file is " + size
                        + " bytes, more than an image file can be here (2 GiB)");
            }
            bytes = Files.readAllBytes(file);
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException e) {
            throw new ImageDecodeException("cannot read " + file + ": " + e, e);
        }
        return decode(bytes, file.toString());
    }

    /** Reads the stream to its end (it is not closed). */
    public RgbImage decode(InputStream in) throws ImageDecodeException {
        try {
            return decode(in.readAllBytes(), "input stream");
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException e) {
            throw new ImageDecodeException("cannot read image stream: " + e, e);
        }
    }

    /** Decodes the bytes of an image file. */
    public RgbImage decode(byte[] bytes) throws ImageDecodeException {
        return decode(bytes, "byte array");
    }

    /** Decodes the bytes of an image file; {@code source} (e.g. its path) names it in errors. */
    public RgbImage decode(byte[] bytes, String source) throws ImageDecodeException {
        if (bytes.length == 0) {
            throw new ImageDecodeException("cannot decode " + source + ": it is empty (0 bytes)");
        }
        ImageFormat format = ImageFormat.detect(bytes);
        if (format == null) {
            throw new ImageDecodeException("cannot decode " + source + ": not a supported image format, found "
                    + ImageFormat.describeUnknown(bytes) + "; supported: JPEG, PNG, GIF, BMP, TIFF, WebP");
        }
        String what = source + " (detected " + format + ", " + bytes.length + " bytes)";
        RgbImage image;
        ImageReader reader = Readers.create(format, what);
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
            checkSize(reader.getWidth(0), reader.getHeight(0), what);
            image = format == ImageFormat.JPEG ? readJpeg(reader, bytes, what) : readOther(reader, what);
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageDecodeException("cannot decode " + what + ": " + describe(e)
                    + "; the file is corrupt or truncated, or uses a variant ImageIO cannot read", e);
        } finally {
            reader.dispose();
        }
        for (String w : warnings) {
            String lower = w.toLowerCase(Locale.ROOT);
            if (lower.contains("truncat") || lower.contains("premature end of jpeg file") || lower.contains("missing eoi")) {
                // Parity: PIL raises "image file is truncated" instead of returning a partly grey image.
                throw new ImageDecodeException("cannot decode " + what + ": image file is truncated (decoder warning: "
                        + w + "); re-download or re-export the file");
            }
        }
        if (options.applyExifOrientation()) {
            image = ImageOps.exifTranspose(image, ExifOrientation.of(bytes, format));
        }
        return image;
    }

    private void checkSize(int width, int height, String what) throws ImageDecodeException {
        long pixels = (long) width * height;
        if (width <= 0 || height <= 0) {
            throw new ImageDecodeException("cannot decode " + what + ": header declares an empty image " + width + "x" + height);
        }
        if (pixels > options.maxPixels()) {
            throw new ImageTooLargeException("refusing " + what + ": header declares " + width + "x" + height + " = " + pixels
                    + " pixels, over the limit of " + options.maxPixels() + " (DecodeOptions.maxPixels);"
                    + " a decompression bomb, or a huge image: downscale it or raise maxPixels");
        }
    }

    /** JPEG via the raw libjpeg samples (no ICC or reader-specific colour handling), converted as PIL does. */
    private static RgbImage readJpeg(ImageReader reader, byte[] bytes, String what) throws IOException {
        Raster raster = reader.readRaster(0, null);
        JpegMarkers m = JpegMarkers.parse(bytes);
        RasterToRgb.Layout layout = switch (raster.getNumBands()) {
            case 1 -> RasterToRgb.Layout.GRAY;
            case 3 -> isRgbJpeg(m) ? RasterToRgb.Layout.RGB : RasterToRgb.Layout.JPEG_YCBCR;
            case 4 -> m.adobeTransform() == JpegMarkers.NO_ADOBE || m.adobeTransform() == 0
                    ? RasterToRgb.Layout.JPEG_CMYK : RasterToRgb.Layout.JPEG_YCCK;
            default -> throw new ImageDecodeException("cannot decode " + what + ": JPEG with " + raster.getNumBands()
                    + " components; expected 1 (gray), 3 (YCbCr/RGB) or 4 (CMYK/YCCK)");
        };
        return new RgbImage(raster.getWidth(), raster.getHeight(), RasterToRgb.direct(raster, layout));
    }

    /** libjpeg's rule for 3-component JPEGs: JFIF means YCbCr, else Adobe transform 0 or ids 'R','G','B' mean RGB. */
    private static boolean isRgbJpeg(JpegMarkers m) {
        if (m.jfif()) return false;
        if (m.adobeTransform() != JpegMarkers.NO_ADOBE) return m.adobeTransform() == 0;
        int[] ids = m.componentIds();
        return ids.length == 3 && ids[0] == 'R' && ids[1] == 'G' && ids[2] == 'B';
    }

    private static RgbImage readOther(ImageReader reader, String what) throws IOException {
        BufferedImage image = reader.read(0);
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        byte[] rgb;
        if (cm instanceof IndexColorModel palette) {
            rgb = RasterToRgb.indexed(raster, palette);
        } else {
            int type = cm.getColorSpace().getType();
            RasterToRgb.Layout layout = switch (type) {
                case ColorSpace.TYPE_GRAY -> RasterToRgb.Layout.GRAY;
                case ColorSpace.TYPE_RGB -> RasterToRgb.Layout.RGB;
                case ColorSpace.TYPE_CMYK -> RasterToRgb.Layout.CMYK;
                default -> throw new ImageDecodeException("cannot decode " + what + ": colour space type " + type
                        + " (java.awt.color.ColorSpace) is not supported; expected gray, RGB, CMYK or a palette;"
                        + " convert the image to RGB first");
            };
            rgb = RasterToRgb.direct(raster, layout);
        }
        return new RgbImage(raster.getWidth(), raster.getHeight(), rgb);
    }

    /** The exception's message followed by its causes', e.g. "Error reading PNG metadata (Invalid chunk length 2550)". */
    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            sb.append(" (").append(c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName()).append(')');
        }
        return sb.toString();
    }

    /** Finds ImageIO readers, rescanning the class path once in case a container's class loader hid the plugins. */
    private static final class Readers {
        private static volatile boolean rescanned;

        static ImageReader create(ImageFormat format, String what) throws ImageDecodeException {
            Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format.imageIoName);
            if (!it.hasNext() && !rescanned) {
                ImageIO.scanForPlugins();
                rescanned = true;
                it = ImageIO.getImageReadersByFormatName(format.imageIoName);
            }
            if (!it.hasNext()) {
                throw new ImageDecodeException("cannot decode " + what + ": no ImageIO reader for " + format
                        + "; put the TwelveMonkeys imageio-" + format.imageIoName + " plugin on the class path");
            }
            return it.next();
        }
    }
}
