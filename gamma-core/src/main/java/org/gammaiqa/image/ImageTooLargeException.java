package org.gammaiqa.image;

/**
 * An image refused from its header because it declares more pixels than {@code DecodeOptions.maxPixels}:
 * a decompression bomb or a huge image. A server answers it differently from a corrupt file (413, not 400).
 */
public class ImageTooLargeException extends ImageDecodeException {
    /** An image refused for its size, {@code message} giving its pixels and the limit. */
    public ImageTooLargeException(String message) {
        super(message);
    }
}
